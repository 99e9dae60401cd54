import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, encodePng, encodeWavPcm16, exportAvssClips, validateAvssDataset, type AvssClip } from '../../../src-main/dataset';
import { frameSampleTimes, probeVideo, writeFrameJpegs } from '../../../src-main/media';
import { AVSS_PALETTE } from '../../../src-main/shared/avss-classes';
import { makeCounterVideo, makeTempDir } from '../helpers/media-fixtures';

const W = 33;
const H = 17;
let dir = '';
let video = '';
let jpegs: string[] = [];

beforeAll(async () => {
  dir = await makeTempDir();
  video = path.join(dir, 'clip one.mp4');
  await makeCounterVideo(video, { width: W, height: H, rate: 10, seconds: 10, pixFmt: 'yuv444p' });
  const probe = await probeVideo(video);
  jpegs = await writeFrameJpegs(video, frameSampleTimes(probe), path.join(dir, 'jpegs'), { probe });
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

function masks(n: number, cls: number): Uint8Array[] {
  return Array.from({ length: n }, (_, k) => {
    const m = new Uint8Array(W * H);
    for (let p = 0; p < (k + 1) * 20; p++) m[p] = cls;
    m[W * H - 1] = 70;
    return m;
  });
}

const clip = (startMs: number, cls: number, extra: Partial<AvssClip> = {}): AvssClip => ({
  vid: 'clip one', startMs, endMs: startMs + 10000, split: 'train', width: W, height: H,
  masks: masks(10, cls), frames: jpegs, audio: new Float32Array(160000).fill(0.25), ...extra,
});

describe('AVSS export', () => {
  it('writes the published layout and validates clean', async () => {
    const root = path.join(dir, 'ds');
    const res = await exportAvssClips(root, [
      clip(0, 28),
      clip(60000, 26, { frames: async (framesDir) => { await writeFrameJpegs(video, frameSampleTimes({ durationSec: 10 }), framesDir); } }),
    ]);
    expect(res).toMatchObject({ uids: ['clip one_0_10000', 'clip one_60000_70000'], rowsAdded: 2, rowsReplaced: 0 });
    expect(res.filesWritten).toBe(2 * 31 + 2);
    expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(
      'vid,uid,s_min,s_sec,a_obj,split,label\nclip one,clip one_0_10000,0,0,guitar_woman,train,v2\nclip one,clip one_60000_70000,1,0,girl_woman,train,v2\n');
    const label2idx = JSON.parse(await fs.readFile(path.join(root, 'label2idx.json'), 'utf8')) as Record<string, number>;
    expect([label2idx['background'], label2idx['accordion'], label2idx['woman']]).toEqual([1, 2, 71]);
    const clipDir = path.join(root, 'v2', 'clip one_0_10000');
    expect((await fs.readdir(clipDir)).sort()).toEqual(['audio.wav', 'frames', 'labels_rgb', 'labels_semantic']);
    const sem = decodePng(await fs.readFile(path.join(clipDir, 'labels_semantic', '3.png')));
    const rgb = decodePng(await fs.readFile(path.join(clipDir, 'labels_rgb', '3.png')));
    expect([sem.channels, sem.width, sem.height, sem.data[0], sem.data[W * H - 1]]).toEqual([1, W, H, 28, 70]);
    expect(Array.from(rgb.data.subarray(0, 3))).toEqual([...AVSS_PALETTE[28]!]);
    expect(await validateAvssDataset(root)).toEqual([]);
    expect((await fs.readdir(path.join(root, 'v2'))).every((n) => !n.startsWith('.'))).toBe(true);
  });

  it('re-exporting a uid replaces its row and folder instead of duplicating', async () => {
    const root = path.join(dir, 'ds');
    const before = await fs.readFile(path.join(root, 'metadata.csv'), 'utf8');
    const res = await exportAvssClips(root, [clip(0, 47, { split: 'val' })]);
    expect(res).toMatchObject({ rowsAdded: 0, rowsReplaced: 1 });
    const after = await fs.readFile(path.join(root, 'metadata.csv'), 'utf8');
    expect(after.split('\n')[2]).toBe(before.split('\n')[2]); // the other row, byte-for-byte
    expect(after.split('\n')[1]).toBe('clip one,clip one_0_10000,0,0,piano_woman,val,v2');
    expect(after.split('\n').filter(Boolean)).toHaveLength(3);
    expect(await validateAvssDataset(root)).toEqual([]);
  });

  it('refuses a corrupt metadata.csv with one line and writes nothing', async () => {
    const root = path.join(dir, 'corrupt');
    await fs.mkdir(root);
    const junk = 'vid,uid,s_min\n"broken,\n';
    await fs.writeFile(path.join(root, 'metadata.csv'), junk);
    const err = await exportAvssClips(root, [clip(0, 28)]).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/metadata\.csv: [^\n]+$/);
    expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(junk);
    expect(await fs.readdir(root)).toEqual(['metadata.csv']);
  });

  // A real full disk: a 24 MB tmpfs (needs root to mount, as this machine's test runs have).
  it.runIf(process.getuid?.() === 0)('a disk that fills up mid-export: one line in words, the previous dataset intact', async () => {
    const mnt = path.join(dir, 'small-disk');
    await fs.mkdir(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
    try {
      const root = path.join(mnt, 'ds');
      await exportAvssClips(root, [clip(0, 28)]);
      const before = await fs.readFile(path.join(root, 'metadata.csv'), 'utf8');
      // Each clip's frames take 10 MB: the free-space estimate (masks and audio only) lets it start, the disk stops it.
      const big = (startMs: number): AvssClip => clip(startMs, 26, {
        frames: async (framesDir) => {
          for (let k = 0; k < 10; k++) await fs.writeFile(path.join(framesDir, `${k}.jpg`), Buffer.alloc(1_000_000, k));
        },
      });
      const err = await exportAvssClips(root, [big(10000), big(20000), big(30000)]).then(() => null, (e: unknown) => e as Error);
      expect(err?.message).toMatch(new RegExp(`^${root}: disk full \\(needs ~\\d+ MB, \\d+ MB free\\)$`));
      expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(before);
      expect((await fs.readdir(root)).sort()).toEqual(['label2idx.json', 'metadata.csv', 'v2']);
      expect(await fs.readdir(path.join(root, 'v2'))).toEqual(['clip one_0_10000']);
      expect(await validateAvssDataset(root)).toEqual([]);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('rejects bad masks before writing', async () => {
    const bad = masks(10, 28);
    bad[2]![5] = 71;
    await expect(exportAvssClips(path.join(dir, 'bad'), [clip(0, 28, { masks: bad })])).rejects.toThrow(/class index 71/);
  });

  it('the validator finds broken files', async () => {
    const root = path.join(dir, 'ds');
    const clipDir = path.join(root, 'v2', 'clip one_60000_70000');
    const wrongColour = new Uint8Array(W * H * 3).fill(7); // (7,7,7) is not a palette colour
    await fs.writeFile(path.join(clipDir, 'labels_rgb', '1.png'), encodePng(W, H, 3, wrongColour));
    const badIndex = new Uint8Array(W * H).fill(90);
    await fs.writeFile(path.join(clipDir, 'labels_semantic', '2.png'), encodePng(W, H, 1, badIndex));
    await fs.writeFile(path.join(clipDir, 'labels_semantic', '4.png'), encodePng(W + 1, H, 1, new Uint8Array((W + 1) * H)));
    await fs.rm(path.join(clipDir, 'frames', '9.jpg'));
    await fs.writeFile(path.join(clipDir, 'audio.wav'), encodeWavPcm16(new Float32Array(100), 44100));
    await fs.mkdir(path.join(root, 'v2', 'stray_0_10000'));
    await fs.appendFile(path.join(root, 'metadata.csv'), 'x,y_0_10000,0,0,guitar,train,v2\n');
    const problems = await validateAvssDataset(root);
    const expectOne = (re: RegExp): void => expect(problems.filter((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).not.toHaveLength(0);
    expectOne(/labels_rgb\/1\.png has \d+ pixels whose colour is not in the palette/);
    expectOne(/labels_semantic\/2\.png has \d+ pixels with class index >= 71/);
    expectOne(/labels_semantic\/4\.png is 34x17, frames are 33x17/);
    expectOne(/9 labels for|frames for a 10 s window|9 frames/);
    expectOne(/audio\.wav is 44100 Hz/);
    expectOne(/stray_0_10000: not listed/);
    expectOne(/uid "y_0_10000" is not \{vid\}/);
  });
});
