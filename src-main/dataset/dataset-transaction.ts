/**
 * DatasetTransaction: every dataset writer (AVSS, COCO, VOC, DAVIS, S4/MS3) writes through one of these, so an
 * export is all-or-nothing and concurrent exporters into one folder never lose each other's rows.
 *
 *   const tx = await DatasetTransaction.begin(datasetDir, { estimateBytes, signal });
 *   try {
 *     const clip = await tx.stageDir('v2/vid_0_10000');   // fill it: frames/, labels_*, audio.wav
 *     const file = tx.stagePath('annotations.json');       // or stage a single file
 *     await tx.commit({ metadataRows, merge: { 'other.json': (current) => newBytes } });
 *   } catch (err) { await tx.abort(); throw err; }
 *
 * begin: checks free space against `estimateBytes` (statfs, one-line "disk full" error before anything is
 * written), creates the dataset folder (bounded mkdir), then under the lock sweeps what dead processes left and
 * makes the private hidden staging folder `.avs-staging-{token}`. Staged paths are invisible to readers of the
 * dataset; writers write them unflushed. commit: one fsync pass over everything staged (syncTree), then under
 * the lock: reads the CURRENT metadata.csv (and any `merge` file), merges, then renames
 * each staged unit into place (a unit it replaces is moved aside, not deleted) and the merged files last; any
 * failure rolls all of it back. A process killed mid-commit is rolled back by the next transaction's sweep.
 * abort: deletes the staging folder; the dataset is untouched.
 */
import { promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { throwIfAborted } from '../util/abort';
import { syncTree, writeFileDurable } from '../util/atomic-write';
import { describeFsError, errnoOf, FileStepError, fsStep } from '../util/fs-errors';
import { onExitSync } from '../util/exit-cleanup';
import { makeDirs } from '../util/make-dir';
import { readRegularIfExists } from '../util/regular-file';
import { DatasetLock, newOwner, type LockOptions } from './dataset-lock';
import { rollBack, STAGING_PREFIX, stagingParts, sweepDataset, writeJournal, type Journal } from './dataset-recovery';
import { mergeMetadata, parseMetadataCsv, type MetadataRow } from './metadata-csv';

export interface BeginOptions extends LockOptions {
  /** Bytes the export will add (rough is fine): refused up front when the disk has less free. */
  estimateBytes?: number;
}

/** Merges the current content of a dataset-level file (undefined when absent) into its new content. */
export type FileMerge = (current: Buffer | undefined, file: string) => string | Uint8Array;

export interface CommitOptions {
  /** AVSS metadata.csv rows: merged into the current file (existing rows kept byte for byte, same uid replaced). */
  metadataRows?: readonly MetadataRow[];
  /** Other dataset-level files merged the same way, by path relative to the dataset. */
  merge?: Readonly<Record<string, FileMerge>>;
}

export interface CommitResult {
  /** Units placed (relative paths) and which of them replaced an existing entry. */
  placed: string[];
  replaced: string[];
  rowsAdded: number;
  rowsReplaced: number;
}

const MB = 1024 * 1024;
const HEARTBEAT_MS = 10_000;

async function deepestExisting(dir: string): Promise<string> {
  let at = path.resolve(dir);
  while (!(await fs.stat(at).then(() => true, () => false)) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** `<dir>: disk full (needs ~N MB, M MB free)`. */
export async function diskFullMessage(dir: string, needBytes?: number): Promise<string> {
  const stat = await fs.statfs(await deepestExisting(dir)).catch(() => undefined);
  const free = stat ? Math.floor((stat.bavail * stat.bsize) / MB) : undefined;
  const need = needBytes !== undefined ? `needs ~${Math.ceil(needBytes / MB)} MB, ` : '';
  return `${dir}: disk full (${need}${free ?? '?'} MB free)`;
}

function checkRelative(rel: string): string {
  const norm = path.normalize(rel);
  if (path.isAbsolute(norm) || norm.startsWith('..') || norm === '.' || norm.split(path.sep).some((p) => p.startsWith('.avs-'))) {
    throw new Error(`dataset path "${rel}" must be relative, inside the dataset and not hidden`);
  }
  return norm;
}

export class DatasetTransaction {
  state: 'staging' | 'committing' | 'done' = 'staging';
  private readonly units = new Set<string>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly forgetExitHook: () => void;

  private constructor(readonly dir: string, readonly stagingDir: string, private readonly o: BeginOptions) {
    const owner = stagingParts(stagingDir).owner;
    this.heartbeat = setInterval(() => void fs.utimes(owner, new Date(), new Date()).catch(() => undefined), HEARTBEAT_MS);
    this.heartbeat.unref();
    // On any exit (a forced one after Ctrl+C included) an uncommitted staging folder goes now, not at the next
    // sweep; one caught mid-commit is left for the next transaction to roll back.
    this.forgetExitHook = onExitSync(() => {
      if (this.state === 'staging') rmSync(stagingDir, { recursive: true, force: true });
    });
  }

  static async begin(datasetDir: string, o: BeginOptions = {}): Promise<DatasetTransaction> {
    const dir = path.resolve(datasetDir);
    throwIfAborted(o.signal);
    if (o.estimateBytes !== undefined) {
      const stat = await fs.statfs(await deepestExisting(dir)).catch(() => undefined);
      // procfs, sysfs...: no storage at all, which is not a full disk.
      if (stat && stat.blocks === 0) throw new FileStepError(`${dir}: is on a virtual file system (such as /proc), which cannot hold a dataset`, 'EROFS');
      // 5% + 16 MB of headroom: file-system overhead and the merged metadata files.
      if (stat && stat.bavail * stat.bsize < o.estimateBytes * 1.05 + 16 * MB) {
        throw new FileStepError(await diskFullMessage(dir, o.estimateBytes), 'ENOSPC');
      }
    }
    await makeDirs(dir);
    const owner = newOwner();
    const staging = path.join(dir, `${STAGING_PREFIX}${owner.token}`);
    await DatasetTransaction.underLock(dir, o, async () => {
      await sweepDataset(dir);
      await fsStep(staging, async () => {
        await fs.mkdir(staging);
        await writeFileDurable(stagingParts(staging).owner, JSON.stringify(owner));
        await fs.mkdir(path.join(staging, 'data'));
      });
    });
    return new DatasetTransaction(dir, staging, o);
  }

  private static async underLock<T>(dir: string, o: LockOptions, work: () => Promise<T>): Promise<T> {
    const lock = await DatasetLock.acquire(dir, o);
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }

  /** Where to write `rel` (a file or folder relative to the dataset); placed at `{dataset}/{rel}` on commit. */
  stagePath(rel: string): string {
    if (this.state !== 'staging') throw new Error('dataset transaction is already committed or aborted');
    const norm = checkRelative(rel);
    this.units.add(norm);
    return stagingParts(this.stagingDir).data(norm);
  }

  /** stagePath for a folder, created (with its parents inside the staging folder). */
  async stageDir(rel: string): Promise<string> {
    const p = this.stagePath(rel);
    await fsStep(p, () => fs.mkdir(p, { recursive: true }));
    return p;
  }

  /** An error of a staging step in words (a full disk says how much is needed and free). */
  async explain(err: unknown, file: string): Promise<Error> {
    if (errnoOf(err) === 'ENOSPC' || errnoOf(err) === 'EDQUOT') return new FileStepError(await diskFullMessage(this.dir, this.o.estimateBytes), 'ENOSPC');
    return errnoOf(err) ? new FileStepError(describeFsError(err, file), errnoOf(err)) : (err as Error);
  }

  async commit(c: CommitOptions = {}): Promise<CommitResult> {
    if (this.state !== 'staging') throw new Error('dataset transaction is already committed or aborted');
    throwIfAborted(this.o.signal);
    // Writers stage files unflushed (writeStagedFile); everything staged is made durable here, once, before
    // the renames that publish it, and outside the lock so other exporters are not held up by the flush.
    await syncTree(stagingParts(this.stagingDir).data('')).catch(async (err: unknown) => { throw await this.explain(err, this.dir); });
    this.state = 'committing';
    let counts = { added: 0, replaced: 0 };
    const merges: Record<string, FileMerge> = { ...c.merge };
    if (c.metadataRows) {
      merges['metadata.csv'] = (current, file) => {
        const merged = mergeMetadata(current ? parseMetadataCsv(current, file) : undefined, c.metadataRows!);
        counts = merged;
        return merged.text;
      };
    }
    try {
      const result = await DatasetTransaction.underLock(this.dir, this.o, () => this.commitLocked(merges));
      return { ...result, rowsAdded: counts.added, rowsReplaced: counts.replaced };
    } finally {
      await this.dispose();
    }
  }

  /** Drops everything staged; the dataset is untouched. Safe to call after commit (does nothing then). */
  async abort(): Promise<void> {
    if (this.state === 'done') return;
    await this.dispose();
  }

  private async dispose(): Promise<void> {
    this.state = 'done';
    clearInterval(this.heartbeat);
    this.forgetExitHook();
    await fs.rm(this.stagingDir, { recursive: true, force: true });
  }

  private async commitLocked(merges: Record<string, FileMerge>): Promise<Omit<CommitResult, 'rowsAdded' | 'rowsReplaced'>> {
    await sweepDataset(this.dir, this.stagingDir); // a dead committer's half commit is undone before we read
    const parts = stagingParts(this.stagingDir);
    const units = [...this.units];
    for (const rel of units) {
      if (!(await fs.lstat(parts.data(rel)).then(() => true, () => false))) throw new Error(`${parts.data(rel)}: staged entry was never written`);
    }
    // Merge against the current files, read now under the lock: a corrupt one throws before anything moves.
    const journal: Journal = { state: 'committing', units, merged: [] };
    await fs.mkdir(path.join(this.stagingDir, 'merged'));
    await fs.mkdir(path.join(this.stagingDir, 'previous'));
    for (const [name, merge] of Object.entries(merges)) {
      const rel = checkRelative(name);
      const final = path.join(this.dir, rel);
      const current = await readRegularIfExists(final, 'dataset');
      await fs.mkdir(path.dirname(parts.merged(rel)), { recursive: true });
      await writeFileDurable(parts.merged(rel), merge(current, final)).catch(async (err: unknown) => { throw await this.explain(err, final); });
      journal.merged.push({ name: rel, existed: current !== undefined });
    }
    await writeJournal(this.stagingDir, journal);
    const replaced: string[] = [];
    try {
      for (const rel of units) {
        const final = path.join(this.dir, rel);
        await makeDirs(path.dirname(final));
        if (await fs.lstat(final).then(() => true, () => false)) {
          await fs.mkdir(path.dirname(parts.replaced(rel)), { recursive: true });
          await fsStep(final, () => fs.rename(final, parts.replaced(rel)));
          replaced.push(rel);
        }
        await fsStep(final, () => fs.rename(parts.data(rel), final));
      }
      for (const m of journal.merged) {
        const final = path.join(this.dir, m.name);
        await makeDirs(path.dirname(final));
        // A hard link keeps the old content for a roll back; the rename then swaps the new one in atomically.
        if (m.existed) {
          await fs.mkdir(path.dirname(parts.previous(m.name)), { recursive: true });
          await fs.link(final, parts.previous(m.name)).catch(() => fs.copyFile(final, parts.previous(m.name)));
        }
        await fsStep(final, () => fs.rename(parts.merged(m.name), final));
      }
      await writeJournal(this.stagingDir, { ...journal, state: 'committed' });
    } catch (err) {
      await rollBack(this.dir, this.stagingDir, journal);
      throw await this.explain(err, this.dir);
    }
    await syncDir(this.dir);
    return { placed: units, replaced };
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const h = await fs.open(dir, 'r').catch(() => undefined);
  await h?.sync().catch(() => undefined);
  await h?.close();
}

/** Token-free name check for validators: entries a transaction owns and readers must ignore. */
export function isTransactionEntry(name: string): boolean {
  return name.startsWith(STAGING_PREFIX) || name.startsWith('.avs-lock');
}

