/**
 * exportAvss: the project (through ExportSource) -> AVSBench-semantic clips via the dataset writer. One clip per
 * 10-s window of each video (uid = {vid}_{start ms}_{end ms}); each mask is `flattenToClasses` of the frame's
 * object raster (an object's pixels only in seconds it sounds), `a_obj` the classes sounding in the window, the
 * frames the media cache's full-size JPEGs, the audio read per window.
 * The whole export is one DatasetTransaction: windows are staged one at a time (memory stays at one window's
 * masks however long the video is), then committed together at the end, metadata.csv merged once under the
 * dataset's lock. A failure or cancel anywhere leaves the previous dataset exactly as it was.
 */
import { stat } from 'node:fs/promises';
import type { DatasetSplit, ExportResult } from '../shared/ipc-contract';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { flattenToClasses, soundingClasses } from '../shared/project-model';
import { checkAvssDatasetFolder, commitAvss, DatasetTransaction, stageAvssClip, type AvssClip, type MetadataRow } from '../dataset';
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

async function stageVideo(tx: DatasetTransaction, video: ExportVideo, opts: ExportOptions, rows: MetadataRow[]): Promise<number> {
  const total = video.frames.length;
  if (total === 0) throw new AppError('bad-input', `${video.name}: shorter than one second, so it has no frame to export`);
  let files = 0;
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
    const staged = await stageAvssClip(tx, clip);
    rows.push(staged.row);
    files += staged.files;
  }
  return files;
}

/** What the export will add: the first frame JPEG's real size, masks and audio per frame. */
async function estimateBytes(source: ExportSource): Promise<number> {
  const first = source.videos[0]?.frames[0];
  const jpeg = first ? await first.jpegPath().then((file) => stat(file)).then((s) => s.size, () => 0) : 0;
  let total = 64 * 1024;
  for (const video of source.videos) total += video.frames.length * (jpeg * 1.5 + video.width * video.height * 0.1 + 32_000);
  return total;
}

export async function exportAvss(source: ExportSource, opts: ExportOptions): Promise<ExportResult> {
  const names = new Map<string, string>();
  for (const video of source.videos) {
    if (names.has(video.name)) throw new AppError('bad-input', `two videos are named ${video.name}: their clips would overwrite each other`);
    names.set(video.name, video.id);
  }
  await checkAvssDatasetFolder(opts.outDir); // a corrupt dataset is refused before any work
  const tx = await DatasetTransaction.begin(opts.outDir, { estimateBytes: await estimateBytes(source), ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    const rows: MetadataRow[] = [];
    let filesWritten = 0;
    for (const video of source.videos) filesWritten += await stageVideo(tx, video, opts, rows);
    const done = await commitAvss(tx, rows);
    return { outDir: tx.dir, uids: rows.map((r) => r.uid), filesWritten: filesWritten + 1 + (done.label2idxWritten ? 1 : 0), rowsAdded: done.rowsAdded };
  } finally {
    await tx.abort(); // no-op after the commit; otherwise drops everything staged
  }
}
