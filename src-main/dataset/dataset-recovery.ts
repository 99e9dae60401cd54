/**
 * The commit journal of a dataset transaction and the undo of a commit that did not finish: used by the
 * transaction itself when a commit step fails, and by the next transaction (under the lock) for the staging
 * folders of processes that died (SIGKILL, power cut) before or during their commit. Also sweeps `.avs-tmp-*`
 * leftovers of dead writers.
 *
 * Staging folder layout: `{dataset}/.avs-staging-{token}/` with `owner.json` (pid, host, start, token),
 * `journal.json` (written just before the first rename of a commit), `data/{rel}` (what is being placed),
 * `replaced/{rel}` (what it replaced, kept until the commit is through) and `merged/{name}` (new metadata files;
 * `previous/{name}` hard links to the old ones).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile, TEMP_PREFIX } from '../util/atomic-write';
import { errnoOf } from '../util/fs-errors';
import { isOwnerGone, isPidAlive, parseOwner, DEFAULT_STALE_MS } from './dataset-lock';

export const STAGING_PREFIX = '.avs-staging-';
/** A staging folder whose owner on another host has not touched it for this long is abandoned. */
export const STAGING_STALE_MS = 10 * 60_000;

export interface Journal {
  state: 'committing' | 'committed';
  /** Relative paths placed into the dataset, in order. */
  units: string[];
  /** Merged files (relative to the dataset): whether each existed before the commit. */
  merged: { name: string; existed: boolean }[];
}

export const stagingParts = (staging: string) => ({
  owner: path.join(staging, 'owner.json'),
  journal: path.join(staging, 'journal.json'),
  data: (rel: string) => path.join(staging, 'data', rel),
  replaced: (rel: string) => path.join(staging, 'replaced', rel),
  merged: (name: string) => path.join(staging, 'merged', name),
  previous: (name: string) => path.join(staging, 'previous', name),
});

const exists = (p: string): Promise<boolean> => fs.lstat(p).then(() => true, () => false);

export async function writeJournal(staging: string, journal: Journal): Promise<void> {
  await atomicWriteFile(stagingParts(staging).journal, JSON.stringify(journal));
}

async function readJournal(staging: string): Promise<Journal | undefined> {
  const text = await fs.readFile(stagingParts(staging).journal, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Journal;
  } catch {
    return undefined; // atomicWriteFile never leaves half a journal; an unreadable one was never written by us
  }
}

/** Puts the dataset back as it was before a commit that was interrupted (every step is idempotent). */
export async function rollBack(datasetDir: string, staging: string, journal: Journal): Promise<void> {
  const parts = stagingParts(staging);
  for (const m of journal.merged) {
    const final = path.join(datasetDir, m.name);
    if (await exists(parts.previous(m.name))) await fs.rename(parts.previous(m.name), final);
    else if (!m.existed) await fs.rm(final, { force: true });
  }
  for (const rel of [...journal.units].reverse()) {
    const final = path.join(datasetDir, rel);
    if (!(await exists(parts.data(rel))) && (await exists(final))) {
      await fs.mkdir(path.dirname(parts.data(rel)), { recursive: true });
      await fs.rename(final, parts.data(rel));
    }
    if (await exists(parts.replaced(rel))) await fs.rename(parts.replaced(rel), final);
  }
}

/** Finishes off one staging folder: undo an unfinished commit, then delete it. */
export async function disposeStaging(datasetDir: string, staging: string): Promise<void> {
  const journal = await readJournal(staging);
  if (journal?.state === 'committing') await rollBack(datasetDir, staging, journal);
  await fs.rm(staging, { recursive: true, force: true });
}

/** pid embedded by tempPathFor: `.avs-tmp-{name}-{pid}-{hex}`. */
function tempOwnerPid(name: string): number | undefined {
  const m = /-(\d+)-[0-9a-f]{8}$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

async function sweepTemps(dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = tempOwnerPid(name);
    if (pid === undefined || (pid !== process.pid && !isPidAlive(pid))) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Under the lock: recovers and deletes the staging folders whose owner is gone, and removes temp leftovers of
 * dead writers in the dataset folder and its immediate sub-folders (where clip folders and metadata live).
 * `keep` is the caller's own staging folder.
 */
export async function sweepDataset(datasetDir: string, keep?: string): Promise<void> {
  const entries = await fs.readdir(datasetDir, { withFileTypes: true });
  for (const e of entries) {
    const full = path.join(datasetDir, e.name);
    if (e.name.startsWith(STAGING_PREFIX) && full !== keep) {
      const text = await fs.readFile(stagingParts(full).owner, 'utf8').catch(() => undefined);
      const touched = (await fs.stat(text === undefined ? full : stagingParts(full).owner).catch(() => undefined))?.mtimeMs ?? 0;
      if (isOwnerGone(text === undefined ? undefined : parseOwner(text), touched, text === undefined ? DEFAULT_STALE_MS : STAGING_STALE_MS)) {
        await disposeStaging(datasetDir, full);
      }
    } else if (e.isDirectory() && !e.name.startsWith('.')) {
      await sweepTemps(full);
    } else if (/^\.avs-lock\.stale-/.test(e.name)) {
      // A contender's takeover holds its aside copy for milliseconds; older ones are leftovers.
      const age = Date.now() - ((await fs.stat(full).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > DEFAULT_STALE_MS) await fs.rm(full, { force: true }).catch((err: unknown) => { if (errnoOf(err) !== 'ENOENT') throw err; });
    }
  }
  await sweepTemps(datasetDir);
}
