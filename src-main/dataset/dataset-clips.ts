/**
 * Walks an ExportSource the way every writer needs it: videos with their split, and for the clip formats their
 * windows (window-rule.ts) with uids; plus the shared per-file helpers (copy a frame JPEG at its exact size,
 * write a 16 kHz WAV of a window). Writers only decide file names and encodings.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { SplitName } from '../shared/dataset-formats';
import { soundingClasses } from '../shared/project-model';
import { throwIfAborted } from '../util/abort';
import { writeStagedFile } from '../util/atomic-write';
import { describeFsError } from '../util/fs-errors';
import { DatasetWriteError } from './clip-masks';
import type { ExportFrame, ExportSource, ExportVideo } from './export-source';
import { videoWindows } from './export-plan';
import { jpegSize } from './jpeg-size';
import { encodeWavPcm16 } from './wav';
import { clipUid, safeVid, WINDOW_FRAMES, type ClipLabel, type ClipWindow } from './window-rule';

export const AUDIO_RATE = 16000;

export interface WriterOptions {
  /** Split of each video id (export-plan.ts chooseSplits); missing ids go to train. */
  splits: ReadonlyMap<string, SplitName>;
  /** AVSS only: window label (v2 10 s, v1s/v1m 5 s). */
  label?: ClipLabel;
  signal?: AbortSignal;
}

export interface WriterResult {
  clips: number;
  frames: number;
  filesWritten: number;
  warnings: string[];
  /** Entries written: clip uids (AVSS, S4, MS3) or video names (per-video layouts). */
  keys: string[];
}

export interface ExportClip {
  video: ExportVideo;
  window: ClipWindow;
  /** Source video id as written in CSVs. */
  vid: string;
  uid: string;
  split: SplitName;
  frames: readonly ExportFrame[];
  /** Sounding class names over the window (a_obj), in class order. */
  soundingNames: string[];
}

export function vidOf(video: ExportVideo): string {
  return video.origin?.vid ?? safeVid(video.name);
}

export function splitOf(video: ExportVideo, opts: WriterOptions): SplitName {
  return opts.splits.get(video.id) ?? video.split ?? 'train';
}

/** Warnings every writer reports for a video (silent audio, sounding objects without sound). */
export function videoWarnings(video: ExportVideo): string[] {
  if (video.hasAudio) return [];
  const sounding = video.objects.filter((o) => o.sounding.some(Boolean)).length;
  return [`${video.name}: no audio track, its audio is silence${sounding ? ` (yet ${sounding} object(s) are marked sounding)` : ''}`];
}

/** Every clip of the source under the window rule; short videos add a warning instead of a clip. */
export function* sourceClips(source: ExportSource, label: ClipLabel, opts: WriterOptions, warnings: string[]): Generator<ExportClip> {
  for (const video of source.videos) {
    const plan = videoWindows(video, label);
    if (plan.warning) warnings.push(plan.warning);
    if (plan.windows.length > 0) warnings.push(...videoWarnings(video));
    for (const window of plan.windows) {
      throwIfAborted(opts.signal);
      const frames = video.frames.slice(window.start, window.start + window.length);
      if (frames.length !== WINDOW_FRAMES[label]) throw new DatasetWriteError(`${video.name}: window at ${window.start} s has ${frames.length} frames`);
      const vid = vidOf(video);
      const classes = soundingClasses(video.objects, window.start, window.start + window.length);
      yield { video, window, vid, uid: clipUid(vid, window), split: splitOf(video, opts), frames, soundingNames: classes.map((c) => AVSS_CLASSES[c]!) };
    }
  }
}

/** Copies the frame's JPEG to `dest`, refusing one whose size is not the video's display size. */
export async function copyFrameJpeg(video: ExportVideo, frame: ExportFrame, dest: string): Promise<void> {
  const src = await frame.jpegPath();
  // A cached frame that cannot be read is named itself (not the dataset folder the staging step would name).
  const bytes = await fs.readFile(src).catch((err: unknown) => {
    throw new DatasetWriteError(`${video.name}: frame ${frame.index}: ${describeFsError(err, src)}`, 'io');
  });
  const size = jpegSize(bytes);
  if (size.width !== video.width || size.height !== video.height) {
    throw new DatasetWriteError(`${video.name}: frame ${frame.index} JPEG is ${size.width}x${size.height}, the video is ${video.width}x${video.height}`);
  }
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await writeStagedFile(dest, bytes);
}

/** 16 kHz mono PCM16 of `seconds` seconds from `startSec` of the video. */
export async function writeWindowWav(video: ExportVideo, startSec: number, seconds: number, dest: string): Promise<void> {
  const samples = await video.audio(startSec, seconds);
  const expected = Math.round(seconds * AUDIO_RATE);
  // Exactly the window's length: a source that ends early is padded with silence, never a short file.
  const exact = samples.length === expected ? samples : (() => {
    const out = new Float32Array(expected);
    out.set(samples.subarray(0, expected));
    return out;
  })();
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await writeStagedFile(dest, encodeWavPcm16(exact, AUDIO_RATE));
}

/** `s_min`, `s_sec` of a window start in ms (60000 -> 1, 0). */
export function minSec(startMs: number): { s_min: number; s_sec: number } {
  const sec = Math.floor(startMs / 1000);
  return { s_min: Math.floor(sec / 60), s_sec: sec % 60 };
}
