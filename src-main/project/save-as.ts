/**
 * Save as, on disk: a copy of a project folder at a new place, all or nothing. The copy is built in a hidden temp
 * folder beside the target (same file system, so the final rename is atomic), made durable in one pass, then
 * renamed into place and the parent folder fsynced. The lock (`.avs-lock`, the source's: it means "this folder is
 * open") and leftover temp files are not copied; project.json is written from the document in memory with the
 * new name. Any failure removes the temp folder: the target is either absent or complete.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MAX_NAME_LENGTH, type ProjectManifest } from '../shared/project-model';
import { AppError } from '../pipeline/app-error';
import { fsyncDir, syncTree, tempPathFor, TEMP_PREFIX, writeStagedFile } from '../util/atomic-write';
import { describeFsError, errnoOf, fsStep } from '../util/fs-errors';
import { makeDirs } from '../util/make-dir';
import { isInside } from '../util/path-inside';
import { LOCK_FILE, MANIFEST_FILE } from './layout';
import { serializeManifest } from './manifest-file';

/** The file copy save as uses: a seam so tests can make one copy fail half way. */
export type CopyFileStep = (from: string, to: string) => Promise<void>;

export interface SaveAsCopyOptions {
  copyFile?: CopyFileStep;
}

const copyExclusive: CopyFileStep = (from, to) => copyFile(from, to, constants.COPYFILE_EXCL);

/** The project's name after save as: the folder's name (what the user typed or picked). */
export function nameForFolder(dir: string): string {
  return basename(dir).slice(0, MAX_NAME_LENGTH) || 'Project';
}

/** `path` with symbolic links resolved as far as it exists (the rest may not exist yet). */
async function realpathSoFar(path: string): Promise<string> {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      rest.push(basename(at));
      at = parent;
    }
  }
}

/** Refuses (one line naming the path) a target inside the source, a file, or a folder that is not empty. */
export async function checkSaveAsTarget(source: string, target: string): Promise<void> {
  if (isInside(await realpathSoFar(source), await realpathSoFar(target))) {
    throw new AppError('bad-input', `${target} is inside the project being saved (${source}): choose a folder outside it`);
  }
  const info = await stat(target).catch((err: unknown) => {
    if (errnoOf(err) === 'ENOENT') return null;
    throw new AppError('io', describeFsError(err, target));
  });
  if (!info) return;
  if (!info.isDirectory()) throw new AppError('bad-input', `${target} is a file: choose a new or empty folder to save the project in`);
  const entries = await fsStep(target, () => readdir(target));
  if (entries.length > 0) throw new AppError('bad-input', `${target} is not empty: choose a new or empty folder to save the project in`);
}

/** Never copied: who has the source open, and temp files of writes a crash interrupted. */
const skipped = (name: string): boolean => name === LOCK_FILE || name.startsWith(TEMP_PREFIX);

async function copyTree(from: string, to: string, copy: CopyFileStep, top: boolean): Promise<void> {
  await fsStep(to, () => mkdir(to));
  for (const entry of await fsStep(from, () => readdir(from, { withFileTypes: true }))) {
    if (skipped(entry.name) || (top && entry.name === MANIFEST_FILE)) continue;
    const source = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, dest, copy, false);
    else if (entry.isFile()) await fsStep(source, () => copy(source, dest));
    // Anything else (a link, a socket) is not something a project writes: left behind.
  }
}

/** Moves the finished copy to `target`; an empty folder already there is replaced (it holds nothing). */
async function renameIntoPlace(tmp: string, target: string): Promise<void> {
  try {
    await rename(tmp, target);
  } catch (err) {
    // POSIX renames over an empty folder; Windows refuses: remove the empty one (rmdir fails if it is not empty).
    if (!['EEXIST', 'EPERM', 'ENOTEMPTY'].includes(errnoOf(err) ?? '')) throw err;
    await fsStep(target, () => rmdir(target));
    await fsStep(target, () => rename(tmp, target));
  }
  await fsStep(dirname(target), () => fsyncDir(dirname(target)));
}

/**
 * Copies the project folder `source` (its document: `manifest`) to `target` as project `name`. The caller holds
 * the project quiet (Project.exclusive) so nothing writes into `source` meanwhile.
 */
export async function copyProjectFolder(source: string, target: string, manifest: ProjectManifest, options: SaveAsCopyOptions = {}): Promise<void> {
  await makeDirs(dirname(target));
  const tmp = tempPathFor(target);
  try {
    await copyTree(source, tmp, options.copyFile ?? copyExclusive, true);
    const text = serializeManifest({ ...manifest, name: nameForFolder(target) });
    await fsStep(join(tmp, MANIFEST_FILE), () => writeStagedFile(join(tmp, MANIFEST_FILE), text));
    // The whole copy is made durable in one pass (every file, then every folder) before the rename publishes it.
    await fsStep(tmp, () => syncTree(tmp));
    await renameIntoPlace(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}
