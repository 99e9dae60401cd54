// The media cache serves the first asked frame of a batch alone (one seek, one frame) before the batch's ffmpeg
// run, on a real generated video; the batch then fills the rest without touching that frame, and the bytes are
// the ones the batch path writes.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaCache } from '../../../src-main/session/media-cache';
import { makeCounterVideo, makeTempDir } from '../helpers/media-fixtures';

let dir: string;
let video: string;
const caches: MediaCache[] = [];

beforeAll(async () => {
  dir = await makeTempDir();
  video = join(dir, 'counter.mp4');
  await makeCounterVideo(video, { width: 320, height: 240, rate: 10, seconds: 12 });
}, 60_000);
afterAll(async () => {
  await Promise.all(caches.map((c) => c.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

async function cache(): Promise<MediaCache> {
  const made = await MediaCache.create(dir);
  made.register('v', video);
  caches.push(made);
  return made;
}
const jpegs = (folder: string): string[] => readdirSync(folder).filter((f) => /^\d+\.jpg$/.test(f)).sort((a, b) => parseInt(a) - parseInt(b));

describe('media cache frames', () => {
  it('serves a frame before its batch, decodes it once, and writes the batch path\'s bytes', async () => {
    const media = await cache();
    const frames = media.dir('v', 'frame');
    const [a, b] = await Promise.all([3, 3].map((index) => media.mediaFile({ videoId: 'v', kind: 'frame', index })));
    expect(a).toBe(join(frames, '3.jpg'));
    expect(b).toBe(a);
    // Served while the batch has not written any other frame yet.
    expect(jpegs(frames)).toEqual(['3.jpg']);
    const served = statSync(a!);
    // A frame of the same batch waits for the batch, which leaves frame 3 as it was.
    expect(await media.mediaFile({ videoId: 'v', kind: 'frame', index: 0 })).toBe(join(frames, '0.jpg'));
    expect(jpegs(frames)).toEqual(Array.from({ length: 10 }, (_, k) => `${k}.jpg`));
    expect(statSync(a!)).toMatchObject({ ino: served.ino, mtimeMs: served.mtimeMs });

    const batchPath = await cache();
    await batchPath.writeFrames(await batchPath.video('v'), 0, 10);
    for (const k of [0, 3, 9]) {
      expect(readFileSync(join(frames, `${k}.jpg`)).equals(readFileSync(join(batchPath.dir('v', 'frame'), `${k}.jpg`))), `frame ${k}`).toBe(true);
    }
  }, 60_000);

  it('holds thumbnail and frame batches until the frame asked alone is written (the first frame comes first)', async () => {
    const media = await cache();
    const single = media.mediaFile({ videoId: 'v', kind: 'frame', index: 0 });
    const thumbs = media.mediaFile({ videoId: 'v', kind: 'thumb', index: 0 });
    const frameFile = await single;
    // The thumbnail batch had not started when the frame was served: its folder (made after its frame-picking
    // pass) does not exist yet.
    const thumbDir = media.dir('v', 'thumb');
    expect(existsSync(thumbDir)).toBe(false);
    expect(frameFile).toBe(join(media.dir('v', 'frame'), '0.jpg'));
    expect(await thumbs).toBe(join(thumbDir, '0.jpg'));
    expect(statSync(join(thumbDir, '0.jpg')).mtimeMs).toBeGreaterThanOrEqual(statSync(frameFile!).mtimeMs);
  }, 60_000);
});
