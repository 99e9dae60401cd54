import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameIndexAt, frameSampleTimes, probeVideo, resolveFfmpeg, streamFrames, type FramePick } from '../../../src-main/media';
import { spawnEnvFor } from '../../../src-main/media/ffmpeg-binaries';
import { CancelledError } from '../../../src-main/util/abort';
import { decodeCounter, makeCounterVideo, makeMatrixVideo, makeRotatedVideo, makeTempDir, makeVfrVideo } from '../helpers/media-fixtures';

let dir = '';
// VFR timeline (s): steady 10 fps, a 0.6 s gap, 20 fps, then a 1.4 s freeze (two instants share a frame).
const VFR_PTS = [
  ...Array.from({ length: 10 }, (_, n) => n * 0.1), // 0 .. 0.9
  ...Array.from({ length: 10 }, (_, n) => 1.5 + n * 0.05), // 1.5 .. 1.95
  2.0, 2.94, 4.34, 4.5, 4.937, 5.2,
];

beforeAll(async () => {
  dir = await makeTempDir();
  await Promise.all([
    makeCounterVideo(path.join(dir, 'cfr.mp4'), { width: 64, height: 48, rate: 25, seconds: 8 }),
    makeCounterVideo(path.join(dir, 'odd.mp4'), { width: 321, height: 241, rate: 10, seconds: 2, pixFmt: 'yuv444p' }),
    makeCounterVideo(path.join(dir, 'start.ts'), { width: 64, height: 48, rate: 25, seconds: 3, extra: ['-f', 'mpegts'] }),
    makeRotatedVideo(path.join(dir, 'rot.mp4')),
    makeMatrixVideo(path.join(dir, 'hflip.mp4'), [-1, 0, 0, 1]),
    makeMatrixVideo(path.join(dir, 'vflip.mp4'), [1, 0, 0, -1]),
    // x' = -y, y' = -x: a quarter turn plus a mirror (transpose=clock_flip).
    makeMatrixVideo(path.join(dir, 'antitranspose.mp4'), [0, -1, -1, 0]),
    makeVfrVideo(path.join(dir, 'vfr.mp4'), VFR_PTS),
    makeCounterVideo(path.join(dir, 'r16.mp4'), { width: 32, height: 24, rate: 16, seconds: 3 }),
  ]);
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

async function decodedPts(file: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)(resolveFfmpeg().ffprobe, ['-v', 'error', '-select_streams', 'v:0',
    '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file], spawnEnvFor(resolveFfmpeg().ffprobe) ? { env: spawnEnvFor(resolveFfmpeg().ffprobe) } : {});
  const all = stdout.split('\n').map((l) => parseFloat(l)).filter((v) => Number.isFinite(v));
  return all.map((v) => v - all[0]!);
}

async function collect(file: string, times: number[], width: number, height: number): Promise<{ frames: number[]; picks: FramePick[] }> {
  const frames: number[] = new Array<number>(times.length).fill(-1);
  const picks = await streamFrames(file, times, { width, height }, (i, rgb) => {
    expect(rgb.length).toBe(width * height * 3);
    frames[i] = decodeCounter(rgb, width, height);
  });
  return { frames, picks };
}

describe('streamFrames', () => {
  it('delivers the last frame with pts <= k + 15/16 (constant rate)', async () => {
    const file = path.join(dir, 'cfr.mp4');
    const times = frameSampleTimes(await probeVideo(file));
    expect(times).toHaveLength(8);
    const { frames, picks } = await collect(file, times, 32, 24);
    expect(frames).toEqual(times.map((t) => Math.floor(t * 25 + 1e-9))); // 23, 48, 73, ...
    picks.forEach((p, i) => expect(p.ptsSec).toBeCloseTo(frames[i]! / 25, 5));
  });

  it('takes a frame whose pts equals the instant exactly', async () => {
    const { frames, picks } = await collect(path.join(dir, 'r16.mp4'), [0.9375, 1.9375, 2.9375], 32, 24);
    expect(frames).toEqual([15, 31, 47]);
    expect(picks.map((p) => p.ptsSec)).toEqual([0.9375, 1.9375, 2.9375]);
  });

  it('seeks for late instants without losing the right frame, in any request order', async () => {
    const { frames } = await collect(path.join(dir, 'cfr.mp4'), [7.9375, 5.0, 5.9375, 7.99], 32, 24);
    expect(frames).toEqual([198, 125, 148, 199]);
  });

  it('handles variable frame rate', async () => {
    const file = path.join(dir, 'vfr.mp4');
    // Reference: the decoded frames' own timestamps as ffprobe reports them (the muxer quantises our request).
    const pts = await decodedPts(file);
    expect(pts).toHaveLength(VFR_PTS.length);
    pts.forEach((p, n) => expect(Math.abs(p - VFR_PTS[n]!)).toBeLessThan(0.003));
    const times = [...frameSampleTimes(await probeVideo(file)), 1.2, 1.5, 4.9375, 4.94, 9.0, -0.5];
    const { frames, picks } = await collect(file, times, 64, 48);
    expect(frames).toEqual(times.map((t) => frameIndexAt(pts, t)));
    // Stored pts 2.938 and 4.938 land just after 2.9375 and 4.9375, so those instants take the frame before.
    expect(frames.slice(0, 5)).toEqual([9, 18, 20, 21, 23]);
    expect(frames.slice(-4)).toEqual([23, 24, 25, 0]); // 4.94 >= 4.938; past the end: last; before: first
    picks.forEach((p, i) => expect(p.ptsSec).toBeCloseTo(pts[frames[i]!]!, 5));
  });

  it('keeps odd display sizes exact', async () => {
    const { frames } = await collect(path.join(dir, 'odd.mp4'), [0.9375, 1.9375], 321, 241);
    expect(frames).toEqual([9, 19]);
  });

  it('measures instants from the first frame when the file starts late', async () => {
    const file = path.join(dir, 'start.ts');
    const probe = await probeVideo(file);
    expect(probe.startSec).toBeGreaterThan(1);
    const { frames, picks } = await collect(file, frameSampleTimes(probe), 32, 24);
    expect(frames).toEqual([23, 48, 73]);
    expect(picks[0]!.ptsSec).toBeCloseTo(23 / 25, 4);
  });

  it('honours rotation', async () => {
    const file = path.join(dir, 'rot.mp4');
    const probe = await probeVideo(file);
    let rgb: Uint8Array = new Uint8Array(0);
    await streamFrames(file, [0.5], { width: probe.width, height: probe.height, probe }, (_, data) => { rgb = data; });
    const at = (x: number, y: number): number => rgb[(y * probe.width + x) * 3]!;
    // Stored top-left square; ffmpeg shows this file turned 90 degrees counter-clockwise: it lands bottom-left.
    expect(at(3, 60)).toBeGreaterThan(200);
    expect(Math.max(at(28, 3), at(3, 3), at(28, 60))).toBeLessThan(40);
  });

  // The stored white square is top-left (12 px of 64x32); each flip must put it where players show it.
  it.each([
    ['hflip.mp4', { rotation: 0, mirrored: true, width: 64, height: 32 }, [60, 3], [[3, 3], [60, 28]]],
    ['vflip.mp4', { rotation: 180, mirrored: true, width: 64, height: 32 }, [3, 28], [[3, 3], [60, 28]]],
    ['antitranspose.mp4', { rotation: 270, mirrored: true, width: 32, height: 64 }, [28, 60], [[3, 3], [3, 60], [28, 3]]],
  ] as const)('honours a display-matrix flip (%s)', async (name, orientation, bright, dark) => {
    const file = path.join(dir, name);
    const probe = await probeVideo(file);
    expect({ rotation: probe.rotation, mirrored: probe.mirrored, width: probe.width, height: probe.height }).toEqual(orientation);
    let rgb: Uint8Array = new Uint8Array(0);
    await streamFrames(file, [0.5], { width: probe.width, height: probe.height, probe }, (_, data) => { rgb = data; });
    const at = ([x, y]: readonly [number, number]): number => rgb[(y * probe.width + x) * 3]!;
    expect(at(bright)).toBeGreaterThan(200);
    for (const p of dark) expect(at(p)).toBeLessThan(40);
  });

  it('waits for an async sink (back-pressure) and stops ffmpeg when cancelled', async () => {
    const file = path.join(dir, 'cfr.mp4');
    const controller = new AbortController();
    let seen = 0;
    const run = streamFrames(file, [0.5, 1.5, 2.5, 3.5], { width: 32, height: 24, signal: controller.signal }, async () => {
      seen++;
      await new Promise((r) => setTimeout(r, 20));
      if (seen === 2) controller.abort();
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toBe(2);
  });

  it('rejects bad sizes and returns nothing for no instants', async () => {
    await expect(streamFrames(path.join(dir, 'cfr.mp4'), [1], { width: 0, height: 10 }, () => undefined)).rejects.toThrow(RangeError);
    expect(await streamFrames(path.join(dir, 'cfr.mp4'), [], { width: 8, height: 8 }, () => undefined)).toEqual([]);
  });
});
