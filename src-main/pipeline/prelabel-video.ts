/**
 * prelabelVideo: probe -> consecutive windows of `framesPerClip` seconds (10 for AVSS, 5 for S4/MS3) ->
 * frames (normalised per the model contract) + log-mel -> CCFormer -> per-frame class-index masks + stats.
 * Memory is bounded: one window in flight (its frames tensor, its audio, its masks); each window's masks go to
 * `onWindow` (the project stores them) as soon as it is done. Everything CPU-heavy (log-mel, inference, argmax + resize) runs in the
 * inference worker, so the main thread only glues streams together.
 * A partial last window is padded as in training (frames: last frame repeated; audio: AVSS zero-pads, S4/MS3
 * repeat the last example) and only its real frames are kept.
 */
import type { DeviceChoice, FrameLabel, ModelInfo, PrelabelProgress, PrelabelResult, ProviderStatus } from '../shared/ipc-contract';
import { isBinary } from '../shared/onnx-contract';
import type { InferenceHost } from '../inference/inference-host';
import { extractAudio, streamFrames, type FramePick } from '../media';
import { throwIfAborted } from '../util/abort';
import type { MediaCache, VideoEntry } from '../session/media-cache';
import { AppError } from './app-error';

export interface PrelabelOptions {
  entry: VideoEntry;
  media: MediaCache;
  host: InferenceHost;
  model: ModelInfo;
  modelFile: string;
  device: DeviceChoice;
  signal?: AbortSignal;
  onProgress?: (p: Omit<PrelabelProgress, 'jobId' | 'videoId'>) => void;
  /** Called once the session is open: which provider runs (and why it fell back, if it did). */
  onProvider?: (status: ProviderStatus) => void;
  /** Each finished window's masks (class-index PNGs at display size), in order; awaited before the next window. */
  onWindow?: (frames: WindowFrame[]) => Promise<void>;
  /** Only the model window holding this frame (re-running one window); the whole video when omitted. */
  onlyWindowOf?: number;
}

export interface WindowFrame {
  label: FrameLabel;
  png: Uint8Array;
}

interface DecodedWindow {
  frames: Float32Array;
  picks: FramePick[];
}

/** Decodes the window's frames at model size straight into a normalised [T,3,H,W] tensor. */
export async function decodeWindow(entry: VideoEntry, times: number[], model: ModelInfo, t: number, signal?: AbortSignal): Promise<DecodedWindow> {
  const [height, width] = model.inputSize;
  const plane = height * width;
  const frames = new Float32Array(t * 3 * plane);
  const scale = model.std.map((s) => 1 / (255 * s));
  const offset = model.mean.map((m, c) => m / model.std[c]!);
  const picks = await streamFrames(entry.file, times, { width, height, probe: entry.probe, ...(signal ? { signal } : {}) }, (i, rgb) => {
    for (let c = 0; c < 3; c++) {
      const base = (i * 3 + c) * plane;
      const sc = scale[c]!;
      const off = offset[c]!;
      for (let p = 0; p < plane; p++) frames[base + p] = rgb[p * 3 + c]! * sc - off;
    }
  });
  // Padding frames repeat the last real one (as the training loader pads short clips).
  const last = times.length - 1;
  for (let i = times.length; i < t; i++) frames.copyWithin(i * 3 * plane, last * 3 * plane, (last + 1) * 3 * plane);
  return { frames, picks };
}

export async function prelabelVideo(o: PrelabelOptions): Promise<PrelabelResult> {
  const started = performance.now();
  const { entry, model, host, signal } = o;
  const total = entry.times.length;
  if (total === 0) throw new AppError('media', `${entry.file}: shorter than one second, so no frame is sampled`);
  const t = model.framesPerClip;
  const [height, width] = model.inputSize;
  const pad = isBinary(model) ? 'repeat' : 'zero';
  const progress = (stage: PrelabelProgress['stage'], done: number): void => o.onProgress?.({ stage, done, total });

  const provider = await host.ensureSession(o.modelFile, o.device, signal);
  o.onProvider?.(provider);
  const frames: FrameLabel[] = [];
  const first = o.onlyWindowOf === undefined ? 0 : Math.floor(Math.min(Math.max(0, o.onlyWindowOf), total - 1) / t) * t;
  const stop = o.onlyWindowOf === undefined ? total : Math.min(total, first + t);
  for (let start = first; start < stop; start += t) {
    throwIfAborted(signal);
    const n = Math.min(t, total - start);
    const end = start + n;
    const times = entry.times.slice(start, end);
    const [decoded, wave] = await Promise.all([
      decodeWindow(entry, times, model, t, signal),
      extractAudio(entry.file, { startSec: start, durationSec: n, sampleRate: model.sampleRate, probe: entry.probe, ...(signal ? { signal } : {}) }),
    ]);
    progress('decode', end);
    const features = await host.features({ wave, sampleRate: model.sampleRate, seconds: t, pad }, signal);
    progress('features', end);
    // Full-size JPEGs of exactly the frames the model saw (the picks); the UI and the export use them.
    const jpegs = o.media.writeFrames(entry, start, n, { picks: decoded.picks, ...(signal ? { signal } : {}) });
    const out = await host.run({
      frames: decoded.frames, audio: features.audio, t, height, width,
      masks: { count: n, width: entry.probe.width, height: entry.probe.height },
    }, signal);
    progress('inference', end);
    await jpegs;
    const window = out.masks!.slice(0, n).map((mask, k) => ({
      png: mask.png,
      label: {
        index: start + k,
        timeSec: decoded.picks[k]!.ptsSec,
        classes: mask.layers.map((l) => l.classIndex),
        pixelCounts: mask.layers.map((l) => l.pixels),
      },
    }));
    await o.onWindow?.(window);
    frames.push(...window.map((w) => w.label));
    progress('masks', end);
  }
  return { videoId: entry.id, frames, provider, model, seconds: (performance.now() - started) / 1000 };
}
