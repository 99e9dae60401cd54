/**
 * AVSS export through exportDataset over a real generated 12.5-s, 333x197 video: the published layout, the
 * window rule (two 10-frame clips, the second ending at the video's end), the sounding rule, exact display
 * size, merging without duplicates, a corrupt metadata.csv refused, and the validator catching broken files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, encodePng, encodeWavPcm16, exportDataset, validateAvssDataset, jpegSize } from '../../../src-main/dataset';
import type { MemoryVideo } from '../../../src-main/dataset/memory-source';
import { parseWavHeader } from '../../../src-main/dataset/wav';
import { AVSS_PALETTE } from '../../../src-main/shared/avss-classes';
import { cls, fixtureVideo, sourceOf } from '../helpers/export-fixtures';
import { makeTempDir } from '../helpers/media-fixtures';

const W = 333;
const H = 197;
let dir = '';
let video: MemoryVideo;
const all = (split: 'train' | 'val' | 'test'): Map<string, 'train' | 'val' | 'test'> => new Map([[video.id, split]]);

beforeAll(async () => {
  dir = await makeTempDir();
  video = await fixtureVideo(dir, { name: 'clip one', width: W, height: H, seconds: 12.5 });
}, 60_000);
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('AVSS export', () => {
  it('writes exactly-10-frame clips at the exact display size; the tail clip ends at the video end', async () => {
    const root = path.join(dir, 'ds');
    const res = await exportDataset(sourceOf([video], dir), root, { format: 'avss', splits: all('train') });
    expect(res.keys).toEqual(['clip_one_0_10000', 'clip_one_2000_12000']);
    expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(
      'vid,uid,s_min,s_sec,a_obj,split,label\nclip_one,clip_one_0_10000,0,0,piano_woman,train,v2\nclip_one,clip_one_2000_12000,0,2,piano_woman,train,v2\n');
    const label2idx = JSON.parse(await fs.readFile(path.join(root, 'label2idx.json'), 'utf8')) as Record<string, number>;
    expect([label2idx['background'], label2idx['accordion'], label2idx['woman']]).toEqual([1, 2, 71]);
    for (const uid of res.keys) {
      const clipDir = path.join(root, 'v2', uid);
      expect((await fs.readdir(clipDir)).sort()).toEqual(['audio.wav', 'frames', 'labels_rgb', 'labels_semantic']);
      for (const sub of ['frames', 'labels_rgb', 'labels_semantic']) expect(await fs.readdir(path.join(clipDir, sub))).toHaveLength(10);
      expect(jpegSize(await fs.readFile(path.join(clipDir, 'frames', '9.jpg')))).toEqual({ width: W, height: H });
      const wav = parseWavHeader(await fs.readFile(path.join(clipDir, 'audio.wav')));
      expect([wav.sampleRate, wav.channels, wav.frames]).toEqual([16000, 1, 160000]);
    }
    // Tail clip frame 0 is second 2 (piano sounds), frame 3 is second 5 (piano silent: background).
    const tail = path.join(root, 'v2', 'clip_one_2000_12000');
    const at = async (k: number): Promise<ReturnType<typeof decodePng>> => decodePng(await fs.readFile(path.join(tail, 'labels_semantic', `${k}.png`)));
    const f0 = await at(0);
    const f3 = await at(3);
    expect([f0.channels, f0.width, f0.height]).toEqual([1, W, H]);
    expect([f0.data[W * 50 + 5], f3.data[W * 50 + 5], f3.data[W * 50 + W - 5]]).toEqual([cls('piano'), 0, cls('woman')]);
    const rgb = decodePng(await fs.readFile(path.join(tail, 'labels_rgb', '0.png')));
    expect(Array.from(rgb.data.subarray((W * 50 + 5) * 3, (W * 50 + 5) * 3 + 3))).toEqual([...AVSS_PALETTE[cls('piano')]!]);
    expect(await validateAvssDataset(root)).toEqual([]);
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.avs-tmp'))).toEqual([]);
  }, 120_000);

  it('v1s/v1m: 5-frame clips, v1s train carries only frame 0 label; a too-short video warns and writes nothing', async () => {
    const root = path.join(dir, 'v1s');
    const res = await exportDataset(sourceOf([video], dir), root, { format: 'avss', label: 'v1s', splits: all('train') });
    expect(res.keys).toEqual(['clip_one_0_5000', 'clip_one_5000_10000', 'clip_one_7000_12000']);
    expect(await fs.readdir(path.join(root, 'v1s', 'clip_one_7000_12000', 'labels_semantic'))).toEqual(['0.png']);
    expect(await validateAvssDataset(root)).toEqual([]);
    const short = await fixtureVideo(dir, { name: 'short', width: 32, height: 32, seconds: 3 });
    const none = await exportDataset(sourceOf([short], dir), path.join(dir, 'short-ds'), { format: 'avss', splits: new Map() });
    expect(none.clips).toBe(0);
    expect(none.warnings.join('\n')).toMatch(/short: 3 sampled second\(s\) is shorter than one 10-s clip/);
  }, 120_000);

  it('re-exporting replaces rows and folders instead of duplicating, keeping other rows byte-for-byte', async () => {
    const root = path.join(dir, 'ds');
    await fs.appendFile(path.join(root, 'metadata.csv'), 'other,other_0_10000,0,0,dog,test,v2\n');
    await fs.mkdir(path.join(root, 'v2', 'other_0_10000'));
    const res = await exportDataset(sourceOf([video], dir), root, { format: 'avss', splits: all('val') });
    expect(res.replaced).toBe(2);
    const lines = (await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).split('\n').filter(Boolean);
    expect(lines).toEqual(['vid,uid,s_min,s_sec,a_obj,split,label', 'clip_one,clip_one_0_10000,0,0,piano_woman,val,v2',
      'clip_one,clip_one_2000_12000,0,2,piano_woman,val,v2', 'other,other_0_10000,0,0,dog,test,v2']);
    expect((await fs.readdir(path.join(root, 'v2'))).sort()).toEqual(['clip_one_0_10000', 'clip_one_2000_12000', 'other_0_10000']);
  }, 120_000);

  it('refuses a corrupt metadata.csv with one line naming it, and changes nothing', async () => {
    const root = path.join(dir, 'corrupt');
    await fs.mkdir(root);
    const junk = 'vid,uid,s_min\n"broken,\n';
    await fs.writeFile(path.join(root, 'metadata.csv'), junk);
    const err = await exportDataset(sourceOf([video], dir), root, { format: 'avss', splits: all('train') }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/corrupt[\\/]metadata\.csv: [^\n]+$/);
    expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(junk);
    expect(await fs.readdir(root)).toEqual(['metadata.csv']);
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.avs-tmp'))).toEqual([]);
  }, 120_000);

  it('the validator finds broken files, short clips and wrong windows', async () => {
    const root = path.join(dir, 'ds');
    const clipDir = path.join(root, 'v2', 'clip_one_2000_12000');
    await fs.writeFile(path.join(clipDir, 'labels_rgb', '1.png'), encodePng(W, H, 3, new Uint8Array(W * H * 3).fill(7)));
    await fs.writeFile(path.join(clipDir, 'labels_semantic', '2.png'), encodePng(W, H, 1, new Uint8Array(W * H).fill(90)));
    await fs.writeFile(path.join(clipDir, 'labels_semantic', '4.png'), encodePng(W - 1, H, 1, new Uint8Array((W - 1) * H)));
    await fs.rm(path.join(clipDir, 'frames', '9.jpg'));
    await fs.writeFile(path.join(clipDir, 'audio.wav'), encodeWavPcm16(new Float32Array(100), 44100));
    await fs.mkdir(path.join(root, 'v2', 'stray_0_10000'));
    await fs.appendFile(path.join(root, 'metadata.csv'), 'x,y_0_10000,0,0,guitar,train,v2\nclip_one,clip_one_0_12000,0,0,piano,train,v2\n');
    const problems = await validateAvssDataset(root);
    const expectOne = (re: RegExp): void => expect(problems.filter((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).not.toHaveLength(0);
    expectOne(/labels_rgb\/1\.png has \d+ pixels whose colour is not in the palette/);
    expectOne(/labels_semantic\/2\.png has \d+ pixels with class index >= 71/);
    expectOne(/labels_semantic\/4\.png is 332x197, frames are 333x197/);
    expectOne(/9 frames, v2 clips have exactly 10/);
    expectOne(/audio\.wav is 44100 Hz/);
    expectOne(/stray_0_10000: not listed/);
    expectOne(/uid "y_0_10000" is not \{vid\}/);
    expectOne(/clip_one_0_12000: uid spans 12 s, v2 clips span exactly 10 s/);
  }, 120_000);
});
