/**
 * exportDataset: the one entry point of every export (UI, CLI, pre-label): the chosen layout's writer builds a
 * complete dataset in a staging folder beside `outDir` (same file system), which is then merged into `outDir`
 * (created or extended without duplicates, dataset-merge.ts) and removed. An interrupted or failed export
 * leaves `outDir` as it was, apart from entries already swapped in whole; no half-written clip is ever listed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetExportSummary, DatasetFormat, SplitName } from '../shared/dataset-formats';
import { TEMP_PREFIX } from '../util/atomic-write';
import { randomBytes } from 'node:crypto';
import type { ClipLabel } from './window-rule';
import { mergeDataset } from './dataset-merge';
import { LAYOUT_INDEX } from './dataset-index';
import type { ExportSource } from './export-source';
import { WRITERS } from './dataset-writers';
import { describeFsError } from './fs-errors';
import { makeDirs, VIRTUAL_FS } from '../util/make-dirs';

export interface DatasetExportOptions {
  format: DatasetFormat;
  splits: ReadonlyMap<string, SplitName>;
  label?: ClipLabel;
  signal?: AbortSignal;
}

export async function exportDataset(source: ExportSource, outDir: string, opts: DatasetExportOptions): Promise<DatasetExportSummary> {
  const out = path.resolve(outDir);
  try {
    return await exportInto(source, out, opts);
  } catch (err) {
    throw describeFsError(err, out);
  }
}

async function exportInto(source: ExportSource, out: string, opts: DatasetExportOptions): Promise<DatasetExportSummary> {
  // Refuse a corrupt existing index before doing any work.
  if (await fs.stat(out).then((s) => s.isDirectory(), () => false)) await LAYOUT_INDEX[opts.format].read(out);
  await makeDirs(path.dirname(out));
  const staging = path.join(path.dirname(out), `${TEMP_PREFIX}export-${path.basename(out)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(staging).catch((err: NodeJS.ErrnoException) => {
    // The parent exists but takes no folder: a virtual file system (/proc, /sys).
    throw err.code === 'ENOENT' ? Object.assign(err, { code: VIRTUAL_FS }) : err;
  });
  try {
    const written = await WRITERS[opts.format](source, staging, {
      splits: opts.splits, ...(opts.label ? { label: opts.label } : {}), ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const merged = await mergeDataset(opts.format, [staging], out, { move: true, ...(opts.signal ? { signal: opts.signal } : {}) });
    return {
      format: opts.format, outDir: out, clips: written.clips, frames: written.frames, filesWritten: written.filesWritten,
      replaced: merged.replaced, warnings: written.warnings, keys: written.keys,
    };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
