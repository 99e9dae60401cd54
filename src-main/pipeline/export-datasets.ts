/**
 * The export dialog's two requests over the open project: a preview (pure planning, nothing written) and the
 * export itself, in any layout, through the one dataset export path.
 */
import type { DatasetExportSummary, ExportPreview, ExportRequest } from '../shared/dataset-formats';
import { chooseSplits, exportDataset, exportPreview, type ExportSource } from '../dataset';
import { AppError } from './app-error';

function check(source: ExportSource): ExportSource {
  if (source.videos.length === 0) throw new AppError('bad-input', 'nothing to export yet: open and pre-label a video first');
  return source;
}

export function datasetPreview(source: ExportSource, request: ExportRequest): ExportPreview {
  return exportPreview(check(source).videos, request.format, request.split, request.label);
}

export async function datasetExport(source: ExportSource, request: ExportRequest, outDir: string, signal?: AbortSignal): Promise<DatasetExportSummary> {
  check(source);
  return exportDataset(source, outDir, {
    format: request.format, splits: chooseSplits(source.videos, request.split),
    ...(request.label ? { label: request.label } : {}), ...(signal ? { signal } : {}),
  });
}
