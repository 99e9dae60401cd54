/**
 * exportAvss: the project (through ExportSource) -> an AVSBench-semantic dataset, through the one dataset
 * export path (src-main/dataset/export-dataset.ts): the window rule (exactly 10-frame clips, the last one ending
 * at the video's end), masks by `flattenToClasses`, every video staged in ONE DatasetTransaction committed at
 * the end, merged into an existing dataset without duplicates. A failure or cancel leaves the dataset as it was.
 */
import type { DatasetSplit, ExportResult } from '../shared/ipc-contract';
import { exportDataset, type ExportSource } from '../dataset';
import { AppError } from './app-error';

export interface ExportOptions {
  split: DatasetSplit;
  outDir: string;
  signal?: AbortSignal;
  /** Called with each warning (silent video, too short for one clip). */
  onWarning?: (message: string) => void;
}

/** AVSBench's `vid` is the source video id; ours is the file stem. */
export function videoStem(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export async function exportAvss(source: ExportSource, opts: ExportOptions): Promise<ExportResult> {
  const names = new Map<string, string>();
  for (const video of source.videos) {
    if (names.has(video.name)) throw new AppError('bad-input', `two videos are named ${video.name}: their clips would overwrite each other`);
    names.set(video.name, video.id);
  }
  const summary = await exportDataset(source, opts.outDir, {
    format: 'avss', splits: new Map(source.videos.map((v) => [v.id, opts.split])), ...(opts.signal ? { signal: opts.signal } : {}),
  });
  for (const w of summary.warnings) opts.onWarning?.(w);
  return { outDir: summary.outDir, uids: summary.keys, filesWritten: summary.filesWritten, rowsAdded: summary.keys.length - summary.replaced };
}
