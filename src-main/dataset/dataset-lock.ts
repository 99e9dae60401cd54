/**
 * The inter-process lock of a dataset folder: `{dataset}/.avs-lock`, created with O_EXCL, holding
 * `{pid, host, startedAt, token}`. Every write that changes what a reader of the dataset sees (clip folders,
 * metadata.csv, sweeping leftovers) happens while it is held, so two exporters (two CLI runs, the app next to
 * the CLI, shards of a batch job on a shared folder) never lose each other's rows.
 * The holder touches the file every few seconds. A lock is stale when its pid is dead on this host, or when it
 * has not been touched for `staleMs` (a holder on another host, or a hung one). Taking a stale lock over renames
 * it to a private name first (atomic; only one contender wins), checks it still is the lock judged stale, and
 * puts it back if not, so a live holder's lock is never deleted.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { throwIfAborted } from '../util/abort';
import { describeFsError, errnoOf, FileStepError } from '../util/fs-errors';

export const LOCK_FILE = '.avs-lock';

export interface OwnerInfo {
  pid: number;
  host: string;
  /** ms since the epoch. */
  startedAt: number;
  token: string;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** Give up after this long (default 10 min): one line naming the holder. */
  timeoutMs?: number;
  /** A lock not touched for this long is stale (default 60 s). */
  staleMs?: number;
}

export const DEFAULT_STALE_MS = 60_000;
const HEARTBEAT_MS = 5_000;

export function newOwner(): OwnerInfo {
  return { pid: process.pid, host: os.hostname(), startedAt: Date.now(), token: randomBytes(8).toString('hex') };
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM'; // exists, owned by someone else
  }
}

/** Whether the owner of a lock or staging folder is gone: dead pid on this host, or silent for `staleMs`. */
export function isOwnerGone(owner: OwnerInfo | undefined, touchedAt: number, staleMs: number): boolean {
  if (Date.now() - touchedAt > staleMs) return true;
  if (!owner) return false; // being written right now
  return owner.host === os.hostname() && owner.pid !== process.pid && !isPidAlive(owner.pid);
}

export function parseOwner(text: string): OwnerInfo | undefined {
  try {
    const o = JSON.parse(text) as Partial<OwnerInfo>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string' && typeof o.startedAt === 'number') {
      return o as OwnerInfo;
    }
  } catch {
    // fall through: not an owner record
  }
  return undefined;
}

async function readLock(file: string): Promise<{ owner: OwnerInfo | undefined; touchedAt: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return { owner: parseOwner(text), touchedAt: stat.mtimeMs };
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw new FileStepError(describeFsError(err, file), errnoOf(err));
  }
}

async function tryCreate(file: string, owner: OwnerInfo): Promise<boolean> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'wx');
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return false;
    throw new FileStepError(describeFsError(err, file), errnoOf(err));
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** Removes a stale lock unless it changed hands since it was read; true when the caller may retry creating. */
async function takeOver(file: string, judged: OwnerInfo | undefined): Promise<void> {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(file, aside);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return; // someone else took it over first
    throw new FileStepError(describeFsError(err, file), errnoOf(err));
  }
  const moved = parseOwner(await fs.readFile(aside, 'utf8').catch(() => ''));
  if (judged && moved && moved.token !== judged.token) {
    // We moved a fresh lock that replaced the stale one meanwhile: put it back (link fails if a third took its place).
    await fs.link(aside, file).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve) => {
  const timer = setTimeout(done, ms);
  function done(): void {
    clearTimeout(timer);
    signal?.removeEventListener('abort', done);
    resolve();
  }
  signal?.addEventListener('abort', done, { once: true });
});

export class DatasetLock {
  private heartbeat: NodeJS.Timeout | undefined;
  private released = false;

  private constructor(readonly file: string, readonly owner: OwnerInfo) {
    // Touching the file tells other hosts this holder is alive; unref'd so a forgotten lock never keeps Node up.
    this.heartbeat = setInterval(() => void fs.utimes(file, new Date(), new Date()).catch(() => undefined), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Waits for the lock of `datasetDir` (which must exist), taking stale locks over. */
  static async acquire(datasetDir: string, o: LockOptions = {}): Promise<DatasetLock> {
    const file = path.join(datasetDir, LOCK_FILE);
    const owner = newOwner();
    const staleMs = o.staleMs ?? DEFAULT_STALE_MS;
    const deadline = Date.now() + (o.timeoutMs ?? 600_000);
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(o.signal);
      if (await tryCreate(file, owner)) return new DatasetLock(file, owner);
      const held = await readLock(file);
      if (held && isOwnerGone(held.owner, held.touchedAt, staleMs)) {
        await takeOver(file, held.owner);
        continue;
      }
      if (Date.now() > deadline) {
        const who = held?.owner ? `pid ${held.owner.pid} on ${held.owner.host} since ${new Date(held.owner.startedAt).toISOString()}` : 'another program';
        throw new FileStepError(`${file}: dataset is locked by ${who}; try again later or remove the file if that program is gone`);
      }
      await sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()), o.signal);
    }
  }

  /** Releases the lock if it is still ours (never deletes a lock another process took over). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    const current = parseOwner(await fs.readFile(this.file, 'utf8').catch(() => ''));
    if (current?.token === this.owner.token) await fs.rm(this.file, { force: true });
  }
}
