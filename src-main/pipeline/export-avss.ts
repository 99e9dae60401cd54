/**
 * exportAvss: a finished (possibly edited) pre-label result -> an AVSBench-semantic dataset, through the one
 * dataset export path (src-main/dataset/export-dataset.ts: window rule, staging folder, merge without duplicates).
 */
import type { DatasetSplit, ExportResult } from '../shared/ipc-contract';
import { exportDataset } from '../dataset';
import { storeExportSource } from './store-export-source';
import type { ProjectStore } from './project-store';

export { videoStem } from './store-export-source';

export interface ExportOptions {
  split: DatasetSplit;
  outDir: string;
  signal?: AbortSignal;
  /** Called with each warning (silent video, too short for one clip). */
  onWarning?: (message: string) => void;
}

export async function exportAvss(store: ProjectStore, videoId: string, opts: ExportOptions): Promise<ExportResult> {
  const source = storeExportSource(store, [videoId]);
  const summary = await exportDataset(source, opts.outDir, {
    format: 'avss', splits: new Map([[videoId, opts.split]]), ...(opts.signal ? { signal: opts.signal } : {}),
  });
  for (const w of summary.warnings) opts.onWarning?.(w);
  return { outDir: summary.outDir, uids: summary.keys, filesWritten: summary.filesWritten, rowsAdded: summary.keys.length - summary.replaced };
}
