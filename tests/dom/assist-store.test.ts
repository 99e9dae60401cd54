// The assist store against a fake main (jsdom has no server; main's side is tested on the real ONNX pair in
// tests/unit/assist): a click's mask becomes the selected object's pixels on Enter (locked objects kept), and
// propagation writes unreviewed frames but overwrites edited/approved ones only when the annotator agrees.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { installApi } from '../../src-renderer/api';
import { useAssistStore, type DocumentPort } from '../../src-renderer/stores/assist';
import { encodeMask } from '../../src-main/shared/binary-mask';
import { emptyRaster, writeRect, type Edit, type FrameState, type ObjectRaster, type ProjectObject } from '../../src-main/shared/project-model';
import { createFakeApi } from './fake-api';

const W = 4;
const H = 3;
/** The mask main "returns": the left two columns. */
const LEFT = Uint8Array.from({ length: W * H }, (_, i) => (i % W < 2 ? 1 : 0));
const frame = (index: number, review: FrameState['review']): FrameState => ({ index, timeSec: index, review, source: { kind: 'none' }, revision: 0 });

function port(reviews: FrameState['review'][]) {
  const rasters = reviews.map(() => emptyRaster(W, H));
  // A locked object (id 9) owns pixel (0,0) of every frame; object 2 starts on the right of frame 0.
  for (const r of rasters) r.data[0] = 9;
  writeRect(rasters[0]!, { x: 3, y: 0, w: 1, h: 3 }, new Uint16Array([2, 2, 2]));
  const objects: ProjectObject[] = [
    { id: 2, classIndex: 5, visible: true, locked: false, z: 0, sounding: [] },
    { id: 9, classIndex: 7, visible: true, locked: true, z: 1, sounding: [] },
  ];
  const committed: Edit[][] = [];
  const p: DocumentPort = {
    videoId: 'v1', objects: () => objects, frames: () => reviews.map((r, i) => frame(i, r)),
    raster: (k): ObjectRaster | undefined => rasters[k], selectedObject: () => 2, select: () => {},
    commit: (edits) => committed.push(edits),
    onPixels: () => () => {},
  };
  return { p, committed };
}

describe('assist store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('click -> proposal -> Enter writes the object exactly there (not over a locked object)', async () => {
    const fake = createFakeApi({ 'assist:click': () => ({ mask: encodeMask(LEFT, W, H), score: 0.97, decodeMs: 12 }) });
    installApi(fake.api);
    const { p, committed } = port(['unreviewed']);
    const assist = useAssistStore();
    assist.bind(p);
    await assist.click('v1', 0, { x: 1, y: 1, positive: true });
    expect(fake.calls[0]).toMatchObject({ channel: 'assist:click', payload: { frame: 0, points: [{ x: 1, y: 1, positive: true }], refine: false } });
    expect(assist.proposal?.score).toBeCloseTo(0.97);
    await assist.click('v1', 0, { x: 3, y: 2, positive: false });
    expect(fake.calls[1]!.payload).toMatchObject({ refine: true });
    expect((fake.calls[1]!.payload as { points: unknown[] }).points).toHaveLength(2);
    expect(assist.accept()).toBe(true);
    const [pixels, review] = committed[0]!;
    expect(review).toEqual({ op: 'frame:review', videoId: 'v1', frame: 0, review: 'edited' });
    if (pixels?.op !== 'pixels') throw new Error('expected a pixels edit');
    expect(pixels.rect).toEqual({ x: 0, y: 0, w: 4, h: 3 });
    // Row-major after: locked 9 kept, left two columns -> 2, old pixels of 2 on the right cleared.
    expect(Array.from(pixels.after)).toEqual([9, 2, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0]);
    expect(assist.proposal).toBeNull();
  });

  it('a press that moves < 4 screen px is a click; a drag is a box prompt; Esc (cancelDrag) sends nothing', async () => {
    const fake = createFakeApi({ 'assist:click': () => ({ mask: encodeMask(LEFT, W, H), score: 0.9, decodeMs: 5 }) });
    installApi(fake.api);
    const assist = useAssistStore();
    assist.bind(port(['unreviewed']).p);
    // Screen and raster differ (zoomed 4x): the threshold is in screen pixels.
    assist.pressAt({ x: 100, y: 100 }, { x: 1, y: 1 }, false);
    assist.dragTo({ x: 103, y: 101 }, { x: 1.75, y: 1.25 });
    expect(assist.dragBox).toBeNull();
    expect(assist.releaseAt('v1', 0, { x: 103, y: 101 }, { x: 1.75, y: 1.25 })).toBe(true);
    await Promise.resolve();
    expect(fake.calls[0]!.payload).toMatchObject({ points: [{ x: 1, y: 1, positive: true }] });
    expect(fake.calls[0]!.payload).not.toHaveProperty('box');
    // A drag up and to the left: the box's corners come out ordered.
    assist.reset();
    assist.pressAt({ x: 100, y: 100 }, { x: 3, y: 2 }, false);
    assist.dragTo({ x: 90, y: 94 }, { x: 0.5, y: 0.5 });
    expect(assist.dragBox).toEqual({ x0: 0.5, y0: 0.5, x1: 3, y1: 2 });
    assist.releaseAt('v1', 0, { x: 90, y: 94 }, { x: 0.5, y: 0.5 });
    expect(assist.dragBox).toBeNull();
    await expect.poll(() => fake.calls.length).toBe(2);
    expect(fake.calls[1]!.payload).toMatchObject({ points: [], box: { x0: 0.5, y0: 0.5, x1: 3, y1: 2 } });
    // Negative press (Shift/Alt/right), then cancelled mid-drag: the release sends nothing.
    assist.pressAt({ x: 10, y: 10 }, { x: 1, y: 1 }, true);
    assist.dragTo({ x: 30, y: 30 }, { x: 2, y: 2 });
    expect(assist.cancelDrag()).toBe(true);
    expect(assist.releaseAt('v1', 0, { x: 30, y: 30 }, { x: 2, y: 2 })).toBe(false);
    assist.pressAt({ x: 10, y: 10 }, { x: 1, y: 1 }, true);
    assist.releaseAt('v1', 0, { x: 10, y: 10 }, { x: 1, y: 1 });
    await expect.poll(() => fake.calls.length).toBe(3);
    expect((fake.calls[2]!.payload as { points: unknown[] }).points).toEqual([{ x: 1, y: 1, positive: false }]);
  });

  it('propagation asks before overwriting edited or approved frames', async () => {
    const fake = createFakeApi({
      'assist:propagate': ({ targets }) => ({ frames: targets.map((index) => ({ index, mask: encodeMask(LEFT, W, H), score: 0.9 })) }),
    });
    installApi(fake.api);
    const { p, committed } = port(['unreviewed', 'unreviewed', 'approved', 'edited']);
    const assist = useAssistStore();
    assist.bind(p);
    const asked: number[][] = [];
    const written = await assist.propagate(0, [1, 2, 3], async (frames) => (asked.push(frames), false));
    expect(asked).toEqual([[2, 3]]);
    expect(written).toEqual([1]);
    expect(committed[0]!.filter((e) => e.op === 'pixels').map((e) => (e.op === 'pixels' ? e.frame : -1))).toEqual([1]);
    const again = await assist.propagate(0, [1, 2, 3], async () => true);
    expect(again).toEqual([1, 2, 3]);
  });

  it('recounts a frame for the checks only after its pixels changed, with the same results as a full recount', () => {
    installApi(createFakeApi({}).api);
    const { p } = port(['unreviewed', 'approved', 'edited']);
    // Each frame's raster counts how often its pixels are read (the raster object itself stays the same).
    const reads = [0, 0, 0];
    const counted = [0, 1, 2].map((k) => {
      const inner = p.raster(k)!;
      return { width: inner.width, height: inner.height, get data() { reads[k]!++; return inner.data; } };
    });
    let changed: (frame: number) => void = () => {};
    const watched: DocumentPort = { ...p, raster: (k) => counted[k], onPixels: (listener) => ((changed = listener), () => {}) };
    const assist = useAssistStore();
    assist.bind(watched);
    const first = assist.checks;
    expect(reads).toEqual([1, 1, 1]);
    assist.touch(); // a change elsewhere in the document (a review, an object): no raster is recounted
    expect(assist.checks).toEqual(first);
    expect(reads).toEqual([1, 1, 1]);
    p.raster(1)!.data.fill(2, 4, 12);
    changed(1);
    assist.touch();
    const after = assist.checks;
    expect(reads).toEqual([1, 2, 1]);
    setActivePinia(createPinia());
    const fresh = useAssistStore();
    fresh.bind(watched);
    expect(after).toEqual(fresh.checks);
  });
});
