/**
 * Atomic file and folder writes: a reader (or a crash) sees either the old content or the new, never half a file.
 * Pattern: temp file in the same directory (same filesystem, so rename is atomic) + fsync + rename (+ fsync of
 * the directory where the platform allows it, so the rename itself survives a power cut).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDirs } from './make-dir';

/** Prefix of every temp entry we create; validators and cleanup can recognise leftovers by it. */
export const TEMP_PREFIX = '.avs-tmp-';

/** A unique temp path beside `target` (same directory, hence same filesystem). */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `${TEMP_PREFIX}${path.basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

async function syncPath(target: string, flags: string): Promise<void> {
  const handle = await fs.open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a folder's entries (a rename, a new file) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open directories for fsync; the rename is still atomic there.
  if (process.platform === 'win32') return;
  await syncPath(dir, 'r');
}

/** Writes a file and fsyncs it: for files inside a temp folder that atomicWriteDir will rename into place. */
export async function writeFileDurable(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file inside a staging folder WITHOUT flushing it: the folder is made durable as a whole by syncTree
 * just before the rename that publishes it (one pass per commit instead of one fsync per file while writing,
 * which dominated a large export: 100 AVSS clips are ~3,000 files).
 */
export async function writeStagedFile(file: string, data: string | Uint8Array): Promise<void> {
  await fs.writeFile(file, data);
}

/** How many fsyncs run at once in syncTree: concurrent flushes let the file system batch them in one journal commit. */
const SYNC_CONCURRENCY = 32;

/**
 * Makes every file and folder under `root` durable (fsync of each file, then of each folder, deepest first, so
 * every entry's name is on disk too). Run once before the rename that commits a staged tree: a crash before it
 * leaves an uncommitted staging folder (swept), never a published half-flushed file.
 */
export async function syncTree(root: string): Promise<void> {
  const files: string[] = [];
  const dirs: string[] = [root];
  for (let i = 0; i < dirs.length; i++) {
    for (const entry of await fs.readdir(dirs[i]!, { withFileTypes: true })) {
      const full = path.join(dirs[i]!, entry.name);
      if (entry.isDirectory()) dirs.push(full);
      else if (entry.isFile()) files.push(full);
    }
  }
  const pool = async (paths: readonly string[], sync: (p: string) => Promise<void>): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < paths.length) await sync(paths[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, paths.length) }, worker));
  };
  await pool(files, (f) => syncPath(f, 'r'));
  // Deepest first (breadth-first order reversed): a folder is flushed after the entries made in it.
  await pool([...dirs].reverse(), fsyncDir);
}

/** Flushes an existing file (e.g. one made by copyFile or by ffmpeg) to disk. */
export async function fsyncFile(file: string): Promise<void> {
  await syncPath(file, 'r+');
}

/** Writes `data` to `target` atomically; on any failure the temp file is removed and `target` is untouched. */
export async function atomicWriteFile(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(target);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(target));
}

/**
 * Builds a folder under a temp name beside `target`, then renames it into place. If `target` exists it is
 * replaced (moved aside first, deleted after the new one is in place), so a reader never sees a mix.
 * `fill` receives the temp folder path; if it throws, the temp folder is removed and `target` is untouched.
 */
export async function atomicWriteDir(target: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  await makeDirs(path.dirname(target));
  const tmp = tempPathFor(target);
  await fs.mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  let old: string | undefined;
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') {
      await fs.rm(tmp, { recursive: true, force: true });
      throw err;
    }
    // rename cannot replace a non-empty folder: move the old one aside, swap, then delete it.
    old = tempPathFor(target);
    await fs.rename(target, old);
    await fs.rename(tmp, target);
  }
  await fsyncDir(path.dirname(target));
  if (old) await fs.rm(old, { recursive: true, force: true });
}
