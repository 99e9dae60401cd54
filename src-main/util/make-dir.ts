/**
 * makeDirs: `mkdir -p` with a bound. Node's recursive mkdir loops for ever on some virtual file systems (as root,
 * `mkdir('/proc/x', {recursive: true})` spins at 100% CPU because /proc answers ENOENT for the child of an existing
 * folder); this walks up at most once per path component to the deepest existing folder, then creates each missing
 * component with a plain mkdir, so every step either succeeds or fails once with a one-line message.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describeFsError, errnoOf, FileStepError } from './fs-errors';

async function kindOf(p: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fs.stat(p)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    // ENOTDIR: a file stands somewhere above; walking up finds and names it.
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return 'missing';
    throw new FileStepError(describeFsError(err, p), errnoOf(err));
  }
}

/** Creates `dir` and its missing parents; throws FileStepError naming the folder that could not be made. */
export async function makeDirs(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let at = target;
  // Bounded: one stat per component of the path.
  for (;;) {
    const kind = await kindOf(at);
    if (kind === 'dir') break;
    if (kind === 'other') throw new FileStepError(`${at}: is a file, not a folder`, 'ENOTDIR');
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) throw new FileStepError(`${target}: no existing parent folder`, 'ENOENT');
    at = parent;
  }
  for (const p of missing) {
    try {
      await fs.mkdir(p);
    } catch (err) {
      const code = errnoOf(err);
      if (code === 'EEXIST' && (await kindOf(p)) === 'dir') continue; // made meanwhile by someone else
      const why = code === 'ENOENT' ? 'cannot create a folder here (virtual or vanishing file system?)' : describeFsError(err, p).slice(p.length + 2);
      throw new FileStepError(`${p}: ${why}`, code);
    }
    // A file system that accepts mkdir but shows nothing (or something else) is not one we can write a dataset to.
    if ((await kindOf(p)) !== 'dir') throw new FileStepError(`${p}: created but not visible as a folder (virtual file system?)`, 'ENOENT');
  }
}
