/**
 * The export dialog's two requests over the session's pre-labelled videos: a preview (pure planning, nothing
 * written) and the export itself, in any layout, through the one dataset export path.
 */
import type { DatasetExportSummary, ExportPreview, ExportRequest } from '../shared/dataset-formats';
import { chooseSplits, exportDataset, exportPreview } from '../dataset';
import type { ExportSource } from '../dataset';
import { AppError } from './app-error';
import type { ProjectStore } from './project-store';
import { storeExportSource } from './store-export-source';

function sourceFor(store: ProjectStore, request: ExportRequest): ExportSource {
  const ids = request.videoIds ?? store.videos().map((v) => v.videoId).filter((id) => store.result(id) !== null);
  if (ids.length === 0) throw new AppError('bad-input', 'nothing to export yet: pre-label a video first');
  return storeExportSource(store, ids);
}

export function datasetPreview(store: ProjectStore, request: ExportRequest): ExportPreview {
  return exportPreview(sourceFor(store, request).videos, request.format, request.split, request.label);
}

export async function datasetExport(store: ProjectStore, request: ExportRequest, outDir: string, signal?: AbortSignal): Promise<DatasetExportSummary> {
  const source = sourceFor(store, request);
  return exportDataset(source, outDir, {
    format: request.format, splits: chooseSplits(source.videos, request.split),
    ...(request.label ? { label: request.label } : {}), ...(signal ? { signal } : {}),
  });
}
