import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayOrientation, frameSampleTimes, orientationFilters, probeVideo, resolveFfmpeg, SAMPLE_PHASE, MediaError } from '../../../src-main/media';
import { ffmpeg, makeCounterVideo, makeMatrixVideo, makeRotatedVideo, makeTempDir } from '../helpers/media-fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
  await Promise.all([
    makeCounterVideo(path.join(dir, 'tone.mp4'), { width: 64, height: 48, rate: 25, seconds: 3, toneHz: 1000 }),
    makeCounterVideo(path.join(dir, 'odd.mp4'), { width: 321, height: 241, rate: 10, seconds: 2, pixFmt: 'yuv444p' }),
    makeRotatedVideo(path.join(dir, 'rot.mp4')),
    // MPEG-TS starts its clock at 1.4 s: a real non-zero start time.
    makeCounterVideo(path.join(dir, 'start.ts'), { width: 64, height: 48, rate: 25, seconds: 2, toneHz: 440, extra: ['-f', 'mpegts'] }),
    fs.writeFile(path.join(dir, 'notes.txt'), 'not a video\n'),
  ]);
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('resolveFfmpeg', () => {
  it('says which binaries run and their versions', () => {
    const bins = resolveFfmpeg();
    expect(['env', 'bundled', 'system']).toContain(bins.source);
    expect(bins.details.ffmpeg.version).toMatch(/^ffmpeg version/);
    expect(bins.details.ffprobe.version).toMatch(/^ffprobe version/);
    expect(bins.summary).toContain(bins.ffmpeg);
  });
});

describe('probeVideo', () => {
  it('reads duration, rates, size and audio', async () => {
    const p = await probeVideo(path.join(dir, 'tone.mp4'));
    expect(p.durationSec).toBeCloseTo(3, 1);
    expect(p.fps).toBeCloseTo(25, 3);
    expect(p.rFps).toBeCloseTo(25, 3);
    expect([p.width, p.height, p.rotation]).toEqual([64, 48, 0]);
    expect(p.hasAudio).toBe(true);
    expect(p.codec).toBe('h264');
    expect(p.audioCodec).toBe('aac');
  });

  it('handles odd sizes and no audio', async () => {
    const p = await probeVideo(path.join(dir, 'odd.mp4'));
    expect([p.width, p.height, p.hasAudio]).toEqual([321, 241, false]);
  });

  it('applies the display rotation to the display size', async () => {
    const p = await probeVideo(path.join(dir, 'rot.mp4'));
    // ffmpeg reads this matrix as 90 degrees counter-clockwise, i.e. 270 clockwise (what autorotate applies).
    expect(p.rotation).toBe(270);
    expect([p.codedWidth, p.codedHeight, p.width, p.height]).toEqual([64, 32, 32, 64]);
  });

  it('reads flips from the display matrix (its determinant), not only the rotation', () => {
    // ffprobe's text for a matrix [a b 0; c d 0; 0 0 1] in 16.16, and the rotation it prints beside it.
    const side = (a: number, b: number, c: number, d: number, rotation: number) => ({ side_data_list: [{
      side_data_type: 'Display Matrix', rotation,
      displaymatrix: `\n00000000: ${a * 65536} ${b * 65536} 0\n00000001: ${c * 65536} ${d * 65536} 0\n00000002: 0 0 1073741824\n`,
    }] });
    const cases: [ReturnType<typeof side>, number, boolean, string[]][] = [
      [side(1, 0, 0, 1, 0), 0, false, []],
      [side(0, -1, 1, 0, 90), 270, false, ['transpose=cclock']],
      [side(-1, 0, 0, -1, 180), 180, false, ['hflip', 'vflip']],
      [side(0, 1, -1, 0, -90), 90, false, ['transpose=clock']],
      // ffprobe prints 180 for an h-flip and 0 for a v-flip: the rotation alone would lose the mirror.
      [side(-1, 0, 0, 1, 180), 0, true, ['hflip']],
      [side(1, 0, 0, -1, 0), 180, true, ['vflip']],
      [side(0, 1, 1, 0, -90), 90, true, ['transpose=cclock_flip']],
      [side(0, -1, -1, 0, 90), 270, true, ['transpose=clock_flip']],
    ];
    for (const [stream, rotation, mirrored, filters] of cases) {
      const o = displayOrientation(stream);
      expect(o).toEqual({ rotation, mirrored });
      expect(orientationFilters(o)).toEqual(filters);
    }
    // Old ffprobe builds: only the legacy tag.
    expect(displayOrientation({ tags: { rotate: '90' } })).toEqual({ rotation: 90, mirrored: false });
  });

  it('probes a mirrored MP4 (tkhd matrix with a flip)', async () => {
    const file = path.join(dir, 'hflip.mp4');
    await makeMatrixVideo(file, [-1, 0, 0, 1]);
    const p = await probeVideo(file);
    expect([p.rotation, p.mirrored, p.width, p.height]).toEqual([0, true, 64, 32]);
  });

  it('widens non-square pixels to the display size', async () => {
    const file = path.join(dir, 'sar.mp4');
    await makeCounterVideo(file, { width: 32, height: 24, rate: 10, seconds: 1, extra: ['-vf', 'setsar=2'] });
    const p = await probeVideo(file);
    expect([p.codedWidth, p.width, p.height]).toEqual([32, 64, 24]);
  });

  it('reports a non-zero start time', async () => {
    const p = await probeVideo(path.join(dir, 'start.ts'));
    expect(p.startSec).toBeGreaterThan(1);
    expect(p.durationSec).toBeCloseTo(2, 1);
  });

  it('fails with one line naming the file', async () => {
    for (const [name, reason] of [['missing.mp4', 'no such file'], ['notes.txt', 'not a readable video'], ['', 'folder']] as const) {
      const file = path.join(dir, name);
      const err = await probeVideo(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
      expect((err as Error).message.startsWith(file)).toBe(true);
      expect((err as Error).message).toContain(reason);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('rejects an audio-only file as not a video', async () => {
    const file = path.join(dir, 'only.m4a');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', file]);
    await expect(probeVideo(file)).rejects.toThrow(/no video stream/);
  });
});

describe('frameSampleTimes', () => {
  it('takes 15/16 of each second, relative to the window', () => {
    expect(frameSampleTimes({ durationSec: 10 })).toEqual(Array.from({ length: 10 }, (_, k) => k + SAMPLE_PHASE));
    expect(frameSampleTimes({ durationSec: 4.97 })).toHaveLength(5);
    expect(frameSampleTimes({ durationSec: 4.9 })).toHaveLength(4);
    expect(frameSampleTimes({ durationSec: 30 }, { startSec: 10, endSec: 20 })[0]).toBe(10.9375);
    expect(frameSampleTimes({ durationSec: 30 }, { startSec: 10, endSec: 20 })).toHaveLength(10);
    expect(frameSampleTimes({ durationSec: 2 }, { rate: 2 })).toEqual([0.46875, 0.96875, 1.46875, 1.96875]);
    expect(() => frameSampleTimes({ durationSec: 2 }, { rate: 0 })).toThrow(RangeError);
  });
});
