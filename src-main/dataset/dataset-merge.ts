/**
 * mergeDataset: brings the entries of datasets of one layout (e.g. cluster shards) into `outDir` (created when
 * missing) without duplicates, in ONE DatasetTransaction: each source's entry files are copied into the staging
 * folder (a later source wins a shared key) and its index folded into the staged index; the staged dataset is
 * then committed like an export (staged-commit.ts). Every source index is read (a corrupt one refused) first.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetFormat } from '../shared/dataset-formats';
import { throwIfAborted } from '../util/abort';
import { writeStagedFile } from '../util/atomic-write';
import { DatasetTransaction } from './dataset-transaction';
import { LAYOUT_INDEX } from './dataset-index';
import { commitStaged, stagingRoot } from './staged-commit';

export interface MergeSummary {
  added: number;
  replaced: number;
}

async function sizeOf(p: string): Promise<number> {
  const info = await fs.lstat(p).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await fs.readdir(p)) total += await sizeOf(path.join(p, name));
  return total;
}

export async function mergeDataset(format: DatasetFormat, sources: readonly string[], outDir: string, opts: { signal?: AbortSignal } = {}): Promise<MergeSummary> {
  const layout = LAYOUT_INDEX[format];
  const indices = sources.map((s) => ({ dir: s, index: layout.read(s) })); // all checked before any change
  if (await fs.stat(outDir).then((s) => s.isDirectory(), () => false)) layout.read(outDir);
  let estimate = 0;
  for (const { dir, index } of indices) for (const e of index.entries) for (const u of e.units) estimate += await sizeOf(path.join(dir, u));
  const tx = await DatasetTransaction.begin(outDir, { estimateBytes: estimate, ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    const root = stagingRoot(tx);
    for (const { dir, index } of indices) {
      for (const entry of index.entries) {
        for (const unit of entry.units) {
          throwIfAborted(opts.signal);
          const src = path.join(dir, unit);
          if (!(await fs.lstat(src).then(() => true, () => false))) continue;
          const dest = path.join(root, unit);
          await fs.rm(dest, { recursive: true, force: true });
          await fs.mkdir(path.dirname(dest), { recursive: true });
          await fs.cp(src, dest, { recursive: true }).catch(async (err: unknown) => { throw await tx.explain(err, outDir); });
        }
      }
      // Fold this source's index into the staged one (same merge rules as against the real dataset).
      for (const [rel, text] of layout.read(root).merge(index).files) {
        await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
        await writeStagedFile(path.join(root, rel), text);
      }
    }
    return await commitStaged(tx, format, opts.signal);
  } finally {
    await tx.abort();
  }
}
