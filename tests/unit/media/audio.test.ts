import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAudio, probeVideo, resolveFfmpeg } from '../../../src-main/media';
import { runTool } from '../../../src-main/media/run-tool';
import { CancelledError } from '../../../src-main/util/abort';
import { counterSource, ffmpeg, makeCounterVideo, makeTempDir, toneMagnitude } from '../helpers/media-fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
  await Promise.all([
    makeCounterVideo(path.join(dir, 'tone.mp4'), { width: 32, height: 24, rate: 25, seconds: 3, toneHz: 1000 }),
    makeCounterVideo(path.join(dir, 'silent.mp4'), { width: 32, height: 24, rate: 25, seconds: 2 }),
    makeCounterVideo(path.join(dir, 'start.ts'), { width: 32, height: 24, rate: 25, seconds: 2, toneHz: 440, extra: ['-f', 'mpegts'] }),
    // Audio that starts 1 s after the first video frame.
    ffmpeg(['-f', 'lavfi', '-i', counterSource(32, 24, 25, 3), '-itsoffset', '1', '-f', 'lavfi', '-i', 'sine=frequency=600:duration=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path.join(dir, 'late.mp4')]),
  ]);
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

const rms = (x: Float32Array, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
};

describe('extractAudio', () => {
  it('returns 16 kHz mono floats whose spectrum peaks at the tone', async () => {
    const wave = await extractAudio(path.join(dir, 'tone.mp4'), { startSec: 0.5, durationSec: 1 });
    expect(wave).toHaveLength(16000);
    const candidates = Array.from({ length: 60 }, (_, i) => 100 + i * 50);
    const mags = candidates.map((hz) => toneMagnitude(wave, hz, 16000));
    expect(candidates[mags.indexOf(Math.max(...mags))]).toBe(1000);
    expect(Math.max(...wave.map(Math.abs))).toBeLessThanOrEqual(1);
  });

  it('zero-pads past the end of the track', async () => {
    const wave = await extractAudio(path.join(dir, 'tone.mp4'), { startSec: 2.5, durationSec: 1 });
    expect(wave).toHaveLength(16000);
    expect(rms(wave, 0, 7000)).toBeGreaterThan(0.05);
    expect(rms(wave, 9000)).toBe(0);
  });

  it('gives zeros of the right length when there is no audio track', async () => {
    const wave = await extractAudio(path.join(dir, 'silent.mp4'), { startSec: 0, durationSec: 1.5, sampleRate: 8000 });
    expect(wave).toHaveLength(12000);
    expect(rms(wave)).toBe(0);
  });

  it('aligns audio to the first video frame when the track starts later', async () => {
    const probe = await probeVideo(path.join(dir, 'late.mp4'));
    expect(probe.audioStartSec! - probe.startSec).toBeCloseTo(1, 1);
    const wave = await extractAudio(probe.file, { startSec: 0, durationSec: 2, probe });
    expect(rms(wave, 0, 15000)).toBe(0);
    expect(rms(wave, 17000)).toBeGreaterThan(0.05);
  });

  it('reads audio from a file with a non-zero start time', async () => {
    const wave = await extractAudio(path.join(dir, 'start.ts'), { startSec: 0.25, durationSec: 1 });
    expect(wave).toHaveLength(16000);
    const mags = [220, 440, 880].map((hz) => toneMagnitude(wave, hz, 16000));
    expect(mags.indexOf(Math.max(...mags))).toBe(1);
  });

  it('kills ffmpeg on abort', async () => {
    const controller = new AbortController();
    // An endless source: only the abort can end it.
    const run = runTool(resolveFfmpeg().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine', '-f', 'null', '-'], 'sine', controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    const already = new AbortController();
    already.abort();
    await expect(extractAudio(path.join(dir, 'tone.mp4'), { startSec: 0, durationSec: 1, signal: already.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
