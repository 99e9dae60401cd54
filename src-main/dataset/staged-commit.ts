/**
 * How a staged dataset (a complete dataset of one layout, built in a DatasetTransaction's staging folder) is
 * committed into the real one through that transaction (src-main/dataset/dataset-transaction.ts, the one commit
 * protocol): every entry's files and folders ("units", dataset-index.ts) are registered as staged units, and
 * each index file (CSV, split lists, JSON) is merged against its CURRENT content under the dataset's lock, so
 * an entry with the same key replaces the old one and nothing is duplicated. After the commit, the files of an
 * entry that moved (another split or category folder) and are listed by nothing any more are removed, under
 * the same lock.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetFormat } from '../shared/dataset-formats';
import { DatasetLock } from './dataset-lock';
import { stagingParts } from './dataset-recovery';
import type { DatasetTransaction } from './dataset-transaction';
import { LAYOUT_INDEX, type DatasetIndex } from './dataset-index';

/** The folder in which a whole staged dataset is built (the transaction's data folder). */
export function stagingRoot(tx: DatasetTransaction): string {
  return stagingParts(tx.stagingDir).data('');
}

const exists = (p: string): Promise<boolean> => fs.lstat(p).then(() => true, () => false);

export interface StagedCommit {
  added: number;
  replaced: number;
}

export async function commitStaged(tx: DatasetTransaction, format: DatasetFormat, signal?: AbortSignal): Promise<StagedCommit> {
  const layout = LAYOUT_INDEX[format];
  const root = stagingRoot(tx);
  const incoming = layout.read(root);
  const before = new Map(layout.read(tx.dir).entries.map((e) => [e.key, e.units]));
  for (const entry of incoming.entries) for (const unit of entry.units) if (await exists(path.join(root, unit))) tx.stagePath(unit);
  // One merge of all index files, computed on first use inside the commit (under the lock, current content).
  const state: { merged?: { files: Map<string, string>; replaced: number } } = {};
  const mergedFiles = (): Map<string, string> => (state.merged ??= layout.read(tx.dir).merge(incoming)).files;
  const candidates = new Set<string>();
  for (const rel of layout.files) if ((await exists(path.join(root, rel))) || (await exists(path.join(tx.dir, rel)))) candidates.add(rel);
  for (const rel of mergedFiles().keys()) candidates.add(rel);
  delete state.merged; // recomputed under the lock, against the files as they are then
  const merge: Record<string, (current: Buffer | undefined) => string> = {};
  for (const rel of candidates) merge[rel] = () => mergedFiles().get(rel) ?? '';
  await tx.commit({ merge });
  const replaced = (state as { merged?: { replaced: number } }).merged?.replaced ?? 0;
  await removeStale(tx.dir, format, incoming, before, signal);
  return { added: incoming.entries.length - replaced, replaced };
}

async function removeStale(dir: string, format: DatasetFormat, incoming: DatasetIndex, before: Map<string, string[]>, signal?: AbortSignal): Promise<void> {
  const stale = incoming.entries.flatMap((e) => (before.get(e.key) ?? []).filter((u) => !e.units.includes(u)));
  if (stale.length === 0) return;
  const lock = await DatasetLock.acquire(dir, signal ? { signal } : {});
  try {
    const listed = new Set(LAYOUT_INDEX[format].read(dir).entries.flatMap((e) => e.units));
    for (const unit of stale) if (!listed.has(unit)) await fs.rm(path.join(dir, unit), { recursive: true, force: true });
  } finally {
    await lock.release();
  }
}
