/**
 * prelabelVideo: probe -> consecutive windows of `framesPerClip` seconds (10 for AVSS, 5 for S4/MS3) ->
 * frames (normalised per the model contract) + log-mel -> CCFormer -> per-frame class-index masks + stats.
 * Memory is bounded: one window in flight (its frames tensor, its audio, its masks); each window's masks go to
 * `onWindow` (the project stores them) as soon as it is done. Everything CPU-heavy (log-mel, inference, argmax + resize) runs in the
 * inference worker, so the main thread only glues streams together.
 * A partial last window is padded as in training (frames: last frame repeated; audio: AVSS zero-pads, S4/MS3
 * repeat the last example) and only its real frames are kept.
 * A video without an audio track is pre-labelled as silent: nothing can sound, so every mask is background and
 * the model is not run (a warning says so). Frames or audio that end before the probed duration (a truncated
 * file) are warned about once per video. Every promise started here is awaited on every path: a failure or a
 * cancel while the frame JPEGs are being written waits for that job (stopped by the same signal) before leaving.
 */
import type { DeviceChoice, FrameLabel, ModelInfo, PrelabelProgress, PrelabelResult, ProviderStatus } from '../shared/ipc-contract';
import { expectedChannels, isBinary } from '../shared/onnx-contract';
import { encodePng } from '../dataset/png';
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
  /** Something the user should know about the result (silent video, truncated file): one line, file named. */
  onWarning?: (message: string) => void;
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

/** Runs `work` with a job started beside it; the job is always settled before this returns or throws. */
async function alongside<T>(job: (signal: AbortSignal) => Promise<void>, parent: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  const local = new AbortController();
  const signal = parent ? AbortSignal.any([parent, local.signal]) : local.signal;
  const running = job(signal);
  running.catch(() => undefined); // owned: awaited below on every path
  try {
    const value = await work();
    await running;
    return value;
  } catch (err) {
    local.abort();
    await running.catch(() => undefined);
    throw err;
  }
}

/** Watches a video's decoded frames and audio for an early end (a truncated file); warns once each. */
function truncationWatch(entry: VideoEntry, warn: (message: string) => void) {
  const duration = entry.probe.durationSec;
  // A frame gap this long before the stated end is not a frame rate: the stream stopped.
  const slack = Math.max(1, 2 / entry.probe.fps);
  let lastPts = 0;
  let framesWarned = false;
  let audioWarned = false;
  return {
    frames(times: readonly number[], ptsSec: readonly number[]): void {
      for (const p of ptsSec) lastPts = Math.max(lastPts, p);
      const lastTime = times[times.length - 1]!;
      if (!framesWarned && lastTime - lastPts > slack) {
        framesWarned = true;
        warn(`${entry.file}: video frames end at ${lastPts.toFixed(1)} s though the file says ${duration.toFixed(1)} s (truncated file?); later seconds repeat the last frame`);
      }
    },
    audio(startSec: number, wantedSec: number, decodedSec: number): void {
      const end = startSec + decodedSec;
      if (!audioWarned && decodedSec < wantedSec - 0.5 && end < duration - 1) {
        audioWarned = true;
        warn(`${entry.file}: audio ends at ${end.toFixed(1)} s though the file says ${duration.toFixed(1)} s (truncated file?); the rest is treated as silence`);
      }
    },
  };
}

/** A silent video's windows: frame JPEGs for the UI and the export, all-background masks, no inference. */
async function silentWindow(o: PrelabelOptions, start: number, times: number[], background: Uint8Array): Promise<WindowFrame[]> {
  await o.media.writeFrames(o.entry, start, times.length, o.signal ? { signal: o.signal } : {});
  return times.map((timeSec, k) => ({ png: background, label: { index: start + k, timeSec, classes: [], pixelCounts: [] } }));
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

  const warn = o.onWarning ?? (() => undefined);
  const watch = truncationWatch(entry, warn);
  const { width: displayWidth, height: displayHeight } = entry.probe;
  const background = entry.probe.hasAudio ? undefined : new Uint8Array(encodePng(displayWidth, displayHeight, 1, new Uint8Array(displayWidth * displayHeight)));

  // The graph is checked against the model's metadata here, before any window is decoded.
  const provider = await host.ensureSession(o.modelFile, o.device, signal, { channels: expectedChannels(model), inputSize: model.inputSize });
  o.onProvider?.(provider);
  if (background) warn(`${entry.file}: has no audio track: pre-labelled as silent (no sounding objects)`);
  const frames: FrameLabel[] = [];
  const first = o.onlyWindowOf === undefined ? 0 : Math.floor(Math.min(Math.max(0, o.onlyWindowOf), total - 1) / t) * t;
  const stop = o.onlyWindowOf === undefined ? total : Math.min(total, first + t);
  for (let start = first; start < stop; start += t) {
    throwIfAborted(signal);
    const n = Math.min(t, total - start);
    const end = start + n;
    const times = entry.times.slice(start, end);
    if (background) {
      const window = await silentWindow(o, start, times, background);
      await o.onWindow?.(window);
      frames.push(...window.map((w) => w.label));
      progress('masks', end);
      continue;
    }
    let decodedSamples = 0;
    const [decoded, wave] = await Promise.all([
      decodeWindow(entry, times, model, t, signal),
      extractAudio(entry.file, {
        startSec: start, durationSec: n, sampleRate: model.sampleRate, probe: entry.probe,
        onDecoded: (samples) => { decodedSamples = samples; }, ...(signal ? { signal } : {}),
      }),
    ]);
    watch.frames(times, decoded.picks.map((p) => p.ptsSec));
    watch.audio(start, n, decodedSamples / model.sampleRate);
    progress('decode', end);
    const features = await host.features({ wave, sampleRate: model.sampleRate, seconds: t, pad }, signal);
    progress('features', end);
    // Full-size JPEGs of exactly the frames the model saw (the picks), written while the model runs.
    const writeJpegs = (jobSignal: AbortSignal): Promise<void> => o.media.writeFrames(entry, start, n, { picks: decoded.picks, signal: jobSignal });
    const out = await alongside(writeJpegs, signal, () => host.run({
      frames: decoded.frames, audio: features.audio, t, height, width,
      masks: { count: n, width: entry.probe.width, height: entry.probe.height },
    }, signal));
    progress('inference', end);
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
