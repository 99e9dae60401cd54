/**
 * "Does the model listen here?" on the bundled CCFormer and the bundled sample (assets/sample.mp4: synthetic
 * objects whose sounding set changes every second), through the real inference worker.
 */
import { afterAll, expect, it } from 'vitest';
import { listenCheck, LISTEN_THRESHOLD } from '../../../src-main/assist/listen-check';
import { InferenceHost } from '../../../src-main/inference/inference-host';
import { loadModelContract } from '../../../src-main/inference/onnx-metadata';
import { probeVideo } from '../../../src-main/media';
import { bundledModelPath, sampleVideoPath } from '../../../src-main/pipeline/app-paths';
import { MediaCache } from '../../../src-main/session/media-cache';

const host = new InferenceHost();
afterAll(() => host.dispose());

it('finds audio-dependent seconds in the sample, and says so per second', async () => {
  const modelFile = bundledModelPath()!;
  const video = sampleVideoPath()!;
  const media = await MediaCache.create();
  try {
    media.register('vsample', video, await probeVideo(video));
    const entry = await media.video('vsample');
    const model = { ...(await loadModelContract(modelFile)), fileName: 'ccformer-tiny-synth.onnx' };
    const result = await listenCheck({ entry, host, model, modelFile, device: 'cpu', frame: 3 });
    expect(result.start).toBe(0);
    expect(result.seconds.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The model was trained to follow the sound: with silence most of its sounding masks must change.
    const dependent = result.seconds.filter((s) => s.labelled > 0 && s.changed >= LISTEN_THRESHOLD);
    expect(dependent.length).toBeGreaterThanOrEqual(5);
    for (const s of result.seconds) expect(s.flagged).toBe(s.labelled > 0 && s.changed < LISTEN_THRESHOLD);
    await expect(listenCheck({ entry, host, model, modelFile, device: 'cpu', frame: 10 })).rejects.toThrow(/outside the video/);
  } finally {
    await media.dispose();
  }
}, 120_000);
