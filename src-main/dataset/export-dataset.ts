/**
 * exportDataset: the one entry point of every export (UI, CLI, pre-label): one DatasetTransaction per export
 * (lock, hidden staging folder, free-space check, commit last, roll back on failure). The layout's writer builds
 * a complete dataset in the staging folder; staged-commit.ts places it, merging the index files with what the
 * folder holds then, without duplicates. A failed, interrupted or killed export leaves the dataset as it was.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetExportSummary, DatasetFormat, SplitName } from '../shared/dataset-formats';
import { DatasetTransaction } from './dataset-transaction';
import { LAYOUT_INDEX } from './dataset-index';
import type { ExportSource } from './export-source';
import { WRITERS } from './dataset-writers';
import { commitStaged, stagingRoot } from './staged-commit';
import type { ClipLabel } from './window-rule';
import { isInside } from '../util/path-inside';

export interface DatasetExportOptions {
  format: DatasetFormat;
  splits: ReadonlyMap<string, SplitName>;
  label?: ClipLabel;
  signal?: AbortSignal;
}

/** Bytes the export will add, for the free-space check: the first frame JPEG's size, masks and audio per frame. */
async function estimateBytes(source: ExportSource): Promise<number> {
  const first = source.videos[0]?.frames[0];
  const jpeg = first ? await first.jpegPath().then((f) => stat(f)).then((s) => s.size, () => 0) : 0;
  let total = 64 * 1024;
  for (const v of source.videos) total += v.frames.length * (jpeg * 1.5 + v.width * v.height * 0.1 + 32_000);
  return total;
}

/**
 * The file an export error is about: a failed read of a source file (a project mask, a frame) names that file;
 * a write into the hidden staging folder names the dataset folder, since the user never sees staging names.
 */
function culpritFile(err: unknown, staging: string, out: string): string {
  const file = (err as { path?: unknown } | null)?.path;
  if (typeof file !== 'string') return out;
  return isInside(staging, path.resolve(file)) ? out : file;
}

export async function exportDataset(source: ExportSource, outDir: string, opts: DatasetExportOptions): Promise<DatasetExportSummary> {
  const out = path.resolve(outDir);
  // A corrupt index (metadata.csv, COCO JSON...) is refused before any work.
  if (await stat(out).then((s) => s.isDirectory(), () => false)) LAYOUT_INDEX[opts.format].read(out);
  const tx = await DatasetTransaction.begin(out, { estimateBytes: await estimateBytes(source), ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    const written = await WRITERS[opts.format](source, stagingRoot(tx), {
      splits: opts.splits, ...(opts.label ? { label: opts.label } : {}), ...(opts.signal ? { signal: opts.signal } : {}),
    }).catch(async (err: unknown) => { throw await tx.explain(err, culpritFile(err, stagingRoot(tx), out)); });
    const committed = await commitStaged(tx, opts.format, opts.signal);
    return {
      format: opts.format, outDir: out, clips: written.clips, frames: written.frames, filesWritten: written.filesWritten,
      replaced: committed.replaced, warnings: written.warnings, keys: written.keys,
    };
  } finally {
    await tx.abort(); // no-op after the commit; otherwise drops everything staged
  }
}
