/**
 * exportAvss: a finished (possibly edited) pre-label result -> AVSBench-semantic clips via the dataset writer.
 * One clip per model window (uid = {vid}_{start ms}_{end ms}); the masks are the store's PNGs (edits included),
 * the frames the store's full-size JPEGs (the very frames the model saw), the audio re-read per window.
 * The whole export is one DatasetTransaction: windows are staged one at a time (memory stays at one window's
 * masks however long the video is), then committed together at the end, metadata.csv merged once under the
 * dataset's lock. A failure or cancel anywhere leaves the previous dataset exactly as it was.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { DatasetSplit, ExportResult, ModelInfo } from '../shared/ipc-contract';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { isBinary } from '../shared/onnx-contract';
import { checkAvssDatasetFolder, commitAvss, DatasetTransaction, decodePng, stageAvssClip, type AvssClip, type MetadataRow } from '../dataset';
import { extractAudio } from '../media';
import { throwIfAborted } from '../util/abort';
import { AppError } from './app-error';
import type { ProjectStore } from './project-store';

export interface ExportOptions {
  split: DatasetSplit;
  outDir: string;
  signal?: AbortSignal;
}

/** AVSBench's `vid` is the source video id; ours is the file stem. */
export function videoStem(file: string): string {
  return basename(file, extname(file));
}

async function readMask(file: string, width: number, height: number): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new AppError('not-found', `mask ${basename(file)} is missing: pre-label the video again`);
  }
  const image = decodePng(bytes);
  if (image.channels !== 1 || image.width !== width || image.height !== height) {
    throw new AppError('internal', `mask ${file} is not a ${width}x${height} class-index PNG`);
  }
  return image.data;
}

/** Refuses a model whose masks cannot become AVSS labels (the CLI checks this before pre-labelling). */
export function checkAvssExportable(model: ModelInfo): void {
  if (isBinary(model)) {
    throw new AppError('unsupported', `AVSS export needs a multi-class (AVSS) model; ${model.fileName} is a binary ${model.task} model`);
  }
  // Mask values are indices into the model's class list; the dataset's are AVSBench's 71 classes.
  const classes = model.classes;
  if (classes.length !== AVSS_CLASSES.length || classes.some((c, i) => c !== AVSS_CLASSES[i])) {
    const which = classes.length === AVSS_CLASSES.length ? 'in another order or with other names' : `has ${classes.length}`;
    throw new AppError('unsupported', `AVSS export needs a model with the ${AVSS_CLASSES.length} AVSBench classes; ${model.fileName} ${which}`);
  }
}

export async function exportAvss(store: ProjectStore, videoId: string, opts: ExportOptions): Promise<ExportResult> {
  const entry = store.video(videoId);
  const result = store.result(videoId);
  if (!result) throw new AppError('bad-input', `${entry.info.fileName}: pre-label the video before exporting it`);
  checkAvssExportable(result.model);
  const { width, height } = entry.probe;
  const t = result.model.framesPerClip;
  const total = entry.times.length;
  await checkAvssDatasetFolder(opts.outDir); // a corrupt dataset is refused before any work
  const tx = await DatasetTransaction.begin(opts.outDir, { estimateBytes: await estimateBytes(store, entry.id, total), ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    const rows: MetadataRow[] = [];
    let filesWritten = 0;
    for (let start = 0; start < total; start += t) {
      throwIfAborted(opts.signal);
      const n = Math.min(t, total - start);
      const frames: string[] = [];
      const masks: Uint8Array[] = [];
      for (let k = start; k < start + n; k++) {
        const frame = await store.mediaFile(`${entry.id}/frame/${k}.jpg`);
        if (!frame) throw new AppError('media', `${entry.file}: frame ${k} could not be extracted`);
        frames.push(frame);
        masks.push(await readMask(store.maskFile(entry.id, k), width, height));
      }
      const audio = await extractAudio(entry.file, {
        startSec: start, durationSec: n, sampleRate: 16000, probe: entry.probe, ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const clip: AvssClip = {
        vid: videoStem(entry.file), startMs: start * 1000, endMs: (start + n) * 1000, split: opts.split, label: 'v2',
        width, height, masks, frames, audio, sampleRate: 16000,
      };
      const staged = await stageAvssClip(tx, clip);
      rows.push(staged.row);
      filesWritten += staged.files;
    }
    const done = await commitAvss(tx, rows);
    return { outDir: tx.dir, uids: rows.map((r) => r.uid), filesWritten: filesWritten + 1 + (done.label2idxWritten ? 1 : 0), rowsAdded: done.rowsAdded };
  } finally {
    await tx.abort(); // no-op after the commit; otherwise drops everything staged
  }
}

/** What the export will add: the frame JPEGs already made (their real size), masks and audio per frame. */
async function estimateBytes(store: ProjectStore, videoId: string, total: number): Promise<number> {
  const firstFrame = await store.mediaFile(`${videoId}/frame/0.jpg`).catch(() => undefined);
  const jpeg = firstFrame ? (await stat(firstFrame).catch(() => undefined))?.size ?? 0 : 0;
  const { width, height } = store.video(videoId).probe;
  return total * (jpeg * 1.5 + width * height * 0.1 + 32_000) + 64 * 1024;
}
