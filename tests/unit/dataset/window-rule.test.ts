import { describe, expect, it } from 'vitest';
import { chooseSplits, exportPreview } from '../../../src-main/dataset/export-plan';
import { clipUid, clipWindows } from '../../../src-main/dataset/window-rule';

describe('window rule', () => {
  it('cuts a 12-frame video (12.5 s) into two full 10-s clips, the last ending at the video end', () => {
    const { windows, warning } = clipWindows(12, 10);
    expect(warning).toBeUndefined();
    expect(windows.map((w) => clipUid('v', w))).toEqual(['v_0_10000', 'v_2000_12000']);
    expect(windows.every((w) => w.length === 10)).toBe(true);
    expect(windows[1]!.overlapsPrevious).toBe(true);
  });

  it('v1s/v1m: 5-s windows, exact multiples get no tail', () => {
    expect(clipWindows(10, 5).windows.map((w) => w.start)).toEqual([0, 5]);
    expect(clipWindows(12, 5).windows.map((w) => [w.start, w.endMs])).toEqual([[0, 5000], [5, 10000], [7, 12000]]);
  });

  it('never a short clip: shorter videos give a warning and no clip', () => {
    const plan = clipWindows(3, 10);
    expect(plan.windows).toEqual([]);
    expect(plan.warning).toMatch(/shorter than one 10-s clip/);
  });

  it('keeps a source timeline for clips of a longer video', () => {
    expect(clipWindows(10, 10, 60).windows.map((w) => clipUid('_-apT0tfo6U', w))).toEqual(['_-apT0tfo6U_60000_70000']);
  });
});

describe('split chooser and preview', () => {
  const videos = Array.from({ length: 20 }, (_, i) => ({ id: `v${i}`, name: `video${String(i).padStart(2, '0')}`, objects: [], frames: new Array(12).fill(0) }));

  it('a seeded ratio split is reproducible, independent of input order, and follows the shares', () => {
    const spec = { kind: 'ratio', train: 0.7, val: 0.15, test: 0.15, seed: 123 } as const;
    const a = chooseSplits(videos, spec);
    const b = chooseSplits([...videos].reverse(), spec);
    expect([...a].sort()).toEqual([...b].sort());
    const counts = { train: 0, val: 0, test: 0 };
    for (const s of a.values()) counts[s]++;
    expect(counts).toEqual({ train: 14, val: 3, test: 3 });
    expect(chooseSplits(videos, { ...spec, seed: 124 })).not.toEqual(a);
  });

  it('per-video splits with a fallback', () => {
    const s = chooseSplits(videos.slice(0, 3), { kind: 'per-video', splits: { v1: 'test' }, fallback: 'val' });
    expect([...s.values()]).toEqual(['val', 'test', 'val']);
  });

  it('previews clips, frames, objects and classes by the window and sounding rules', () => {
    const objects = [
      { id: 1, classIndex: 47, visible: true, locked: false, z: 0, sounding: new Array(12).fill(false) },
      { id: 2, classIndex: 70, visible: true, locked: false, z: 1, sounding: new Array(12).fill(true) },
    ];
    const p = exportPreview([{ id: 'a', name: 'a', objects, frames: new Array(12).fill(0) }, { id: 'b', name: 'b', objects: [], frames: [0, 0] }], 'avss', { kind: 'all', split: 'val' });
    expect(p).toMatchObject({ clips: 2, frames: 20, objects: 1, classes: ['woman'], splits: { train: 0, val: 1, test: 0 } });
    expect(p.warnings.join('\n')).toMatch(/^b: 2 sampled second/);
    expect(exportPreview([{ id: 'a', name: 'a', objects, frames: new Array(12).fill(0) }], 'coco', { kind: 'all', split: 'val' })).toMatchObject({ clips: 1, frames: 12, objects: 2 });
  });
});
