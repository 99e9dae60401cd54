/**
 * The project lock (.avs-lock: pid, host, start time): one writer per project. A second instance finds a live
 * lock and opens the project read-only, saying who holds it. A lock is stale, and is taken over, when its
 * process is gone (same host) or its heartbeat (the file's mtime, touched every HEARTBEAT_MS) stopped long ago
 * (another host, or a frozen process). Taking over writes a temp file and renames it over the old lock, then
 * reads it back: of two instances racing for a stale lock exactly one sees its own token.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LockInfo } from '../shared/ipc-contract';
import { atomicWriteFile } from '../util/atomic-write';
import { LOCK_FILE } from './layout';

export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;

interface LockFile extends LockInfo {
  token: string;
}

export type LockOutcome =
  | { held: true; lock: ProjectLock; tookOver: LockInfo | null }
  | { held: false; holder: LockInfo };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<{ info: LockFile | null; ageMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    let parsed: LockFile | null = null;
    try {
      const json = JSON.parse(text) as Partial<LockFile>;
      if (typeof json.pid === 'number' && typeof json.host === 'string' && typeof json.token === 'string') parsed = json as LockFile;
    } catch {
      // A torn lock file (crash while writing it) is stale by definition.
    }
    return { info: parsed, ageMs: Date.now() - info.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function isStale(found: { info: LockFile | null; ageMs: number }): boolean {
  if (!found.info) return true;
  if (found.ageMs > STALE_AFTER_MS) return true;
  return found.info.host === hostname() && !alive(found.info.pid);
}

const publicInfo = (lock: LockFile): LockInfo => ({ pid: lock.pid, host: lock.host, startedAt: lock.startedAt });

export class ProjectLock {
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(private readonly file: string, private readonly mine: LockFile) {
    this.timer = setInterval(() => void utimes(this.file, new Date(), new Date()).catch(() => undefined), HEARTBEAT_MS);
    this.timer.unref();
  }

  static async acquire(dir: string): Promise<LockOutcome> {
    const file = join(dir, LOCK_FILE);
    const mine: LockFile = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    const text = `${JSON.stringify(mine)}\n`;
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { held: true, lock: new ProjectLock(file, mine), tookOver: null };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const found = await readLock(file);
    if (found && !isStale(found)) return { held: false, holder: publicInfo(found.info!) };
    await atomicWriteFile(file, text);
    const after = await readLock(file);
    if (after?.info?.token !== mine.token) {
      return { held: false, holder: after?.info ? publicInfo(after.info) : publicInfo(mine) };
    }
    const previous = found?.info ? publicInfo(found.info) : { pid: 0, host: 'unknown', startedAt: 'unknown' };
    return { held: true, lock: new ProjectLock(file, mine), tookOver: previous };
  }

  get info(): LockInfo {
    return publicInfo(this.mine);
  }

  /** Removes the lock if it is still ours (a takeover by another instance is left alone). */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const found = await readLock(this.file).catch(() => null);
    if (found?.info?.token === this.mine.token) await rm(this.file, { force: true });
  }
}
