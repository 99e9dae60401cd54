/**
 * File-system failures in words a user can act on, naming the dataset folder (never a temp name or raw errno
 * text such as "EPERM ... .avs-tmp-..."), for the CLI's one-line error and the export dialog.
 */
import { VIRTUAL_FS } from '../util/make-dirs';
import { DatasetWriteError } from './clip-masks';

const WORDS: Record<string, string> = {
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'the disk is full (no space left); the dataset was left as it was',
  EDQUOT: 'the disk quota is exhausted; the dataset was left as it was',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'exists and is not a folder',
  EISDIR: 'is a folder where a file was expected',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path loops through symbolic links',
  EMFILE: 'too many files are open; try again',
  EIO: 'the disk reported an input/output error',
  [VIRTUAL_FS]: 'cannot hold folders (a virtual file system such as /proc or /sys)',
};

/** A DatasetWriteError for `target` when `err` is a file-system error; other errors are returned unchanged. */
export function describeFsError(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !WORDS[code]) return err;
  return new DatasetWriteError(`${target}: ${WORDS[code]}`, 'io');
}
