/**
 * mergeDataset: brings the entries of one or more datasets of a layout into `outDir` (created when missing),
 * without duplicates: an entry whose key is already there (same AVSS uid, S4 name, COCO video...) replaces the
 * old one, whose files are removed; others are added. Order keeps readers safe: every index is read (and a
 * corrupt one refused) before anything changes; each entry's files are put in place (a folder by an atomic
 * swap) before the index that lists them is rewritten (atomically), so a reader never sees a listed entry
 * with half its files. Used by every export (staging folder -> dataset) and by `avs-annotator merge`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetFormat } from '../shared/dataset-formats';
import { throwIfAborted } from '../util/abort';
import { atomicWriteDir, atomicWriteFile, tempPathFor } from '../util/atomic-write';
import { LAYOUT_INDEX, type DatasetIndex } from './dataset-index';
import { describeFsError } from './fs-errors';
import { makeDirs } from '../util/make-dirs';

export interface MergeSummary {
  added: number;
  replaced: number;
}

async function exists(p: string): Promise<'file' | 'dir' | undefined> {
  return fs.stat(p).then((s) => (s.isDirectory() ? 'dir' : 'file'), () => undefined);
}

/** Puts `src` (file or folder) at `dest`, replacing what is there; `move` renames when possible, else copies. */
async function placeUnit(src: string, dest: string, move: boolean): Promise<void> {
  const kind = await exists(src);
  if (!kind) return;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  if (kind === 'dir') {
    await atomicWriteDir(dest, async (tmp) => {
      await fs.rm(tmp, { recursive: true, force: true });
      if (move) await fs.rename(src, tmp).catch(() => fs.cp(src, tmp, { recursive: true }));
      else await fs.cp(src, tmp, { recursive: true });
    });
    return;
  }
  const tmp = tempPathFor(dest);
  try {
    if (move) await fs.rename(src, tmp).catch(() => fs.copyFile(src, tmp));
    else await fs.copyFile(src, tmp);
    await fs.rename(tmp, dest);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Merges `sources` (in order: a later one wins a shared key) into `outDir`. `move` lets the sources' files be
 * renamed instead of copied (a staging folder that is thrown away afterwards).
 */
export async function mergeDataset(format: DatasetFormat, sources: readonly string[], outDir: string, opts: { move?: boolean; signal?: AbortSignal } = {}): Promise<MergeSummary> {
  try {
    return await mergeInto(format, sources, outDir, opts);
  } catch (err) {
    throw describeFsError(err, outDir);
  }
}

async function mergeInto(format: DatasetFormat, sources: readonly string[], outDir: string, opts: { move?: boolean; signal?: AbortSignal }): Promise<MergeSummary> {
  const layout = LAYOUT_INDEX[format];
  let current: DatasetIndex | undefined = (await exists(outDir)) ? await layout.read(outDir) : undefined;
  const incoming = await Promise.all(sources.map((s) => layout.read(s))); // all checked before any change
  await makeDirs(outDir);
  current ??= await layout.read(outDir);
  const summary: MergeSummary = { added: 0, replaced: 0 };
  for (const [n, index] of incoming.entries()) {
    const before = new Map(current.entries.map((e) => [e.key, e.units]));
    for (const entry of index.entries) {
      throwIfAborted(opts.signal);
      for (const unit of entry.units) await placeUnit(path.join(sources[n]!, unit), path.join(outDir, unit), opts.move === true);
      // An entry that moved (e.g. to another split folder) leaves no stale copy behind.
      for (const old of before.get(entry.key) ?? []) if (!entry.units.includes(old)) await fs.rm(path.join(outDir, old), { recursive: true, force: true });
    }
    const merged = current.merge(index);
    for (const [rel, text] of merged.files) {
      await fs.mkdir(path.dirname(path.join(outDir, rel)), { recursive: true });
      await atomicWriteFile(path.join(outDir, rel), text);
    }
    summary.replaced += merged.replaced;
    summary.added += index.entries.length - merged.replaced;
    current = await layout.read(outDir);
  }
  return summary;
}
