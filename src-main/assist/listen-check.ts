/**
 * "Does the model listen here?": re-runs the model on one window with the real soundtrack and with silence
 * (zeros: the log-mel of silence, what the model would hear from a muted track) and says, per second, how much
 * of the pre-label changes. A second whose masks barely change does not depend on the sound: the model labelled
 * what it sees, not what it hears, so its sounding objects deserve a careful look.
 * Both runs share the decoded frames; masks are compared at the model's own resolution (the upsampled display
 * masks would only scale the same counts).
 */
import type { DeviceChoice, ListenResult, ListenSecond, ModelInfo } from '../shared/ipc-contract';
import { isBinary } from '../shared/onnx-contract';
import type { InferenceHost } from '../inference/inference-host';
import { extractAudio } from '../media';
import { decodePng } from '../dataset/png';
import { AppError } from '../pipeline/app-error';
import { decodeWindow } from '../pipeline/prelabel-video';
import type { VideoEntry } from '../session/media-cache';

/** A second "depends on the sound" when at least this fraction of its labelled pixels changes with silence. */
export const LISTEN_THRESHOLD = 0.1;

export type { ListenResult, ListenSecond };

export interface ListenOptions {
  entry: VideoEntry;
  host: InferenceHost;
  model: ModelInfo;
  modelFile: string;
  device: DeviceChoice;
  /** Any frame of the window to check; the window is the model's window holding it. */
  frame: number;
  signal?: AbortSignal;
}

export async function listenCheck(o: ListenOptions): Promise<ListenResult> {
  const { entry, model, host, signal } = o;
  const total = entry.times.length;
  if (!Number.isInteger(o.frame) || o.frame < 0 || o.frame >= total) throw new AppError('bad-input', `frame ${o.frame} is outside the video (0..${total - 1})`);
  const t = model.framesPerClip;
  const start = Math.floor(o.frame / t) * t;
  const n = Math.min(t, total - start);
  const [height, width] = model.inputSize;
  const pad = isBinary(model) ? 'repeat' : 'zero';
  await host.ensureSession(o.modelFile, o.device, signal);
  const opt = signal ? { signal } : {};
  const [decoded, wave] = await Promise.all([
    decodeWindow(entry, entry.times.slice(start, start + n), model, t, signal),
    extractAudio(entry.file, { startSec: start, durationSec: n, sampleRate: model.sampleRate, probe: entry.probe, ...opt }),
  ]);
  const runWith = async (samples: Float32Array, frames: Float32Array): Promise<Uint8Array[]> => {
    const features = await host.features({ wave: samples, sampleRate: model.sampleRate, seconds: t, pad }, signal);
    const out = await host.run({ frames, audio: features.audio, t, height, width, masks: { count: n, width, height } }, signal);
    return out.masks!.map((m) => decodePng(m.png).data);
  };
  // Each run takes ownership of its frames buffer (transferred), so the first gets a copy.
  const heard = await runWith(wave, decoded.frames.slice());
  const silent = await runWith(new Float32Array(wave.length), decoded.frames);
  const seconds = heard.map((a, k): ListenSecond => {
    const b = silent[k]!;
    let labelled = 0;
    let either = 0;
    let differ = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i]! !== 0) labelled++;
      if (a[i]! !== 0 || b[i]! !== 0) either++;
      if (a[i]! !== b[i]!) differ++;
    }
    const changed = either === 0 ? 0 : differ / either;
    return { index: start + k, labelled, changed: Math.round(changed * 1000) / 1000, flagged: labelled > 0 && changed < LISTEN_THRESHOLD };
  });
  return { videoId: entry.id, start, threshold: LISTEN_THRESHOLD, seconds };
}
