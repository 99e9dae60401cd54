/**
 * The audio panel's data from a real video (ffmpeg-generated: silence, a 1 kHz tone, silence), through the
 * real decode path; and the chunk reduction against the model's own log-mel front end.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AudioViewService, type AudioVideo } from '../../../src-main/audio-panel/audio-view-service';
import { CHUNK_SAMPLES, MEL_STRIDE, MELS_PER_CHUNK, reduceChunk } from '../../../src-main/audio-panel/audio-chunk';
import { logMelSpectrogram } from '../../../src-main/features';
import { hertzToMel, MEL_MAX_HZ, MEL_MIN_HZ, NUM_MEL } from '../../../src-main/features/mel';
import { probeVideo } from '../../../src-main/media';
import { SILENCE_DBFS } from '../../../src-main/shared/audio-view';
import { ffmpeg, makeTempDir } from '../helpers/media-fixtures';

let video: AudioVideo;

beforeAll(async () => {
  const file = path.join(await makeTempDir(), 'tone.mp4');
  await ffmpeg([
    '-f', 'lavfi', '-i', 'color=c=gray:size=64x48:rate=5:duration=30',
    '-f', 'lavfi', '-i', "aevalsrc='if(between(t,10,20),0.5*sin(2*PI*1000*t),0)':s=16000:d=30",
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k', '-shortest', file,
  ]);
  video = { id: 'vtone', file, probe: await probeVideo(file) };
}, 60_000);

/** The mel band whose centre is nearest to `hz`. */
function bandOf(hz: number): number {
  const lo = hertzToMel(MEL_MIN_HZ);
  const hi = hertzToMel(MEL_MAX_HZ);
  return Math.round(((hertzToMel(hz) - lo) / (hi - lo)) * (NUM_MEL + 1)) - 1;
}

describe('audio panel data', () => {
  it('draws the tone where it is: peaks, log-mel band, only the asked range decoded', async () => {
    const service = new AudioViewService(() => video);
    const view = await service.view(video.id, 5, 25, 200);
    expect(view.cached).toBe(false);
    const { peaks, mel } = view;
    const col = (sec: number): number => Math.floor(((sec - 5) / 20) * 200);
    expect(peaks[2 * col(15) + 1]).toBeGreaterThan(0.4);
    expect(peaks[2 * col(15)]).toBeLessThan(-0.4);
    expect(Math.abs(peaks[2 * col(7) + 1]!)).toBeLessThan(0.02);
    const band = bandOf(1000);
    expect(mel[col(15) * NUM_MEL + band]).toBeGreaterThan(mel[col(7) * NUM_MEL + band]! + 100);
    expect(mel[col(15) * NUM_MEL + band]).toBeGreaterThan(mel[col(15) * NUM_MEL + band + 12]! + 40);
    const again = await service.view(video.id, 12, 18, 50);
    expect(again.cached).toBe(true);
  }, 60_000);

  it('per-second loudness marks the silent seconds', async () => {
    const levels = await new AudioViewService(() => video).levels(video.id);
    expect(levels).toHaveLength(30);
    expect(levels.slice(11, 19).every((db) => db > -15)).toBe(true);
    expect(levels.slice(0, 9).every((db) => db < SILENCE_DBFS)).toBe(true);
    expect(levels.slice(21, 30).every((db) => db < SILENCE_DBFS)).toBe(true);
  }, 60_000);

  it('rejects a backwards or too wide range', async () => {
    const service = new AudioViewService(() => video);
    await expect(service.view(video.id, 10, 5, 10)).rejects.toThrow(/increasing/);
    await expect(service.view(video.id, 0, 5000, 10)).rejects.toThrow(/at most/);
  });
});

describe('chunk reduction', () => {
  it('keeps exactly the log-mel frames of the model front end (every MEL_STRIDE-th)', () => {
    const wave = new Float32Array(CHUNK_SAMPLES);
    for (let i = 0; i < wave.length; i++) wave[i] = 0.3 * Math.sin(i * 0.05) + 0.1 * Math.sin(i * 0.71 + 1);
    const chunk = reduceChunk(wave);
    const full = logMelSpectrogram(wave);
    for (const f of [0, 7, MELS_PER_CHUNK - 1]) {
      for (const m of [0, 20, NUM_MEL - 1]) expect(chunk.mel[f * NUM_MEL + m]).toBeCloseTo(full[f * MEL_STRIDE * NUM_MEL + m]!, 4);
    }
    expect(chunk.max[0]).toBeGreaterThan(0.2);
  });
});
