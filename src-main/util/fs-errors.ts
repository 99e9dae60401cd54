/**
 * File-system errors in words: one line naming the file and saying the problem, never a raw errno dump
 * ("EPERM: operation not permitted, rename '.avs-tmp-...'"). Every dataset write and folder step goes through it.
 */
export class FileStepError extends Error {
  constructor(message: string, readonly errno?: string) {
    super(message);
    this.name = 'FileStepError';
  }
}

const WORDS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder is not empty',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'on another file system',
  EIO: 'input/output error (failing disk?)',
  EDQUOT: 'disk quota exceeded',
  ENOSPC: 'disk full',
  EBUSY: 'busy (in use by another program)',
};

export function errnoOf(err: unknown): string | undefined {
  if (err instanceof FileStepError) return err.errno;
  return err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
}

/** `<file>: <problem>` for an errno error; other errors keep their message (prefixed with the file if absent). */
export function describeFsError(err: unknown, file: string): string {
  if (err instanceof FileStepError) return err.message;
  const code = errnoOf(err);
  const words = code ? WORDS[code] : undefined;
  if (words) return `${file}: ${words}`;
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return message.includes(file) ? message : `${file}: ${message}`;
}

/** Wraps an errno error as a FileStepError naming `file`; rethrows anything else unchanged. */
export function fsStepError(err: unknown, file: string): Error {
  if (err instanceof FileStepError || !errnoOf(err)) return err instanceof Error ? err : new Error(String(err));
  return new FileStepError(describeFsError(err, file), errnoOf(err));
}

/** Runs one file-system step, turning its errno error into a one-line FileStepError naming `file`. */
export async function fsStep<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw fsStepError(err, file);
  }
}
