import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameSampleTimes, probeVideo, resolveFfmpeg, streamFrames, writeFrameJpegs } from '../../../src-main/media';
import { runTool } from '../../../src-main/media/run-tool';
import { decodeCounter, makeCounterVideo, makeMatrixVideo, makeTempDir } from '../helpers/media-fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
  await Promise.all([
    makeCounterVideo(path.join(dir, 'cfr.mp4'), { width: 64, height: 48, rate: 25, seconds: 5 }),
    makeCounterVideo(path.join(dir, 'odd.mp4'), { width: 321, height: 241, rate: 10, seconds: 2, pixFmt: 'yuv444p' }),
    makeMatrixVideo(path.join(dir, 'hflip.mp4'), [-1, 0, 0, 1]),
  ]);
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

async function readJpeg(file: string, width: number, height: number): Promise<number> {
  const rgb = await runTool(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], file);
  expect(rgb.length).toBe(width * height * 3);
  return decodeCounter(rgb, width, height);
}

describe('writeFrameJpegs', () => {
  it('writes {k}.jpg at display size with the frames streamFrames picked', async () => {
    const file = path.join(dir, 'cfr.mp4');
    const probe = await probeVideo(file);
    const times = frameSampleTimes(probe);
    const picks = await streamFrames(file, times, { width: 16, height: 16, probe }, () => undefined);
    const out = path.join(dir, 'frames');
    const paths = await writeFrameJpegs(file, times, out, { probe, picks });
    expect(paths.map((p) => path.basename(p))).toEqual(['0.jpg', '1.jpg', '2.jpg', '3.jpg', '4.jpg']);
    expect(await Promise.all(paths.map((p) => readJpeg(p, 64, 48)))).toEqual([23, 48, 73, 98, 123]);
    expect((await fs.readdir(out)).sort()).toEqual(['0.jpg', '1.jpg', '2.jpg', '3.jpg', '4.jpg']); // no temp files
  });

  it('writes a mirrored video as displayed (the stored top-left square lands top-right)', async () => {
    const file = path.join(dir, 'hflip.mp4');
    const [jpeg] = await writeFrameJpegs(file, [0.5], path.join(dir, 'hflip'));
    const rgb = await runTool(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', jpeg!, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], jpeg!);
    expect(rgb.length).toBe(64 * 32);
    expect(rgb[3 * 64 + 60]).toBeGreaterThan(200);
    expect(rgb[3 * 64 + 3]).toBeLessThan(40);
  });

  it('finds the frames itself, handles odd sizes and instants that share a frame', async () => {
    const file = path.join(dir, 'odd.mp4');
    const out = path.join(dir, 'odd');
    const paths = await writeFrameJpegs(file, [0.9375, 5.0, 9.0, 1.05], out, { name: (k) => `f${k}.jpg` });
    expect(await Promise.all(paths.map((p) => readJpeg(p, 321, 241)))).toEqual([9, 19, 19, 10]);
  });
});
