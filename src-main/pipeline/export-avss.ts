/**
 * exportAvss: the project (through ExportSource) -> AVSBench-semantic clips via the dataset writer. One clip per
 * 10-s window of each video (uid = {vid}_{start ms}_{end ms}); each mask is `flattenToClasses` of the frame's
 * object raster (an object's pixels only in seconds it sounds), `a_obj` the classes sounding in the window, the
 * frames the media cache's full-size JPEGs, the audio read per window. Windows are written one at a time (each
 * atomically, metadata.csv merged each time) so memory stays at one window's masks however long the video is.
 */
import type { DatasetSplit, ExportResult } from '../shared/ipc-contract';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { flattenToClasses, soundingClasses } from '../shared/project-model';
import { exportAvssClips, type AvssClip } from '../dataset';
import type { ExportSource, ExportVideo } from '../dataset/export-source';
import { throwIfAborted } from '../util/abort';
import { AppError } from './app-error';

/** AVSBench-semantic clips are 10 s (10 sampled frames). */
export const AVSS_CLIP_SECONDS = 10;

export interface ExportOptions {
  split: DatasetSplit;
  outDir: string;
  signal?: AbortSignal;
}

/** AVSBench's `vid` is the source video id; ours is the file stem. */
export function videoStem(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

async function exportVideo(video: ExportVideo, opts: ExportOptions, out: ExportResult): Promise<void> {
  const total = video.frames.length;
  if (total === 0) throw new AppError('bad-input', `${video.name}: shorter than one second, so it has no frame to export`);
  for (let start = 0; start < total; start += AVSS_CLIP_SECONDS) {
    throwIfAborted(opts.signal);
    const frames = video.frames.slice(start, start + AVSS_CLIP_SECONDS);
    const jpegs: string[] = [];
    const masks: Uint8Array[] = [];
    for (const frame of frames) {
      jpegs.push(await frame.jpegPath());
      masks.push(flattenToClasses(await frame.raster(), video.objects, frame.index));
    }
    const n = frames.length;
    const clip: AvssClip = {
      vid: video.name, startMs: start * 1000, endMs: (start + n) * 1000, split: opts.split, label: 'v2',
      width: video.width, height: video.height, masks, frames: jpegs, audio: await video.audio(start, n), sampleRate: 16000,
      soundingClasses: soundingClasses(video.objects, start, start + n).map((c) => AVSS_CLASSES[c]!),
    };
    const written = await exportAvssClips(opts.outDir, [clip], opts.signal);
    out.uids.push(...written.uids);
    out.filesWritten += written.filesWritten;
    out.rowsAdded += written.rowsAdded;
  }
}

export async function exportAvss(source: ExportSource, opts: ExportOptions): Promise<ExportResult> {
  const names = new Map<string, string>();
  for (const video of source.videos) {
    if (names.has(video.name)) throw new AppError('bad-input', `two videos are named ${video.name}: their clips would overwrite each other`);
    names.set(video.name, video.id);
  }
  const out: ExportResult = { outDir: opts.outDir, uids: [], filesWritten: 0, rowsAdded: 0 };
  for (const video of source.videos) await exportVideo(video, opts, out);
  return out;
}
