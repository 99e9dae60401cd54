/**
 * Opening a file the user named, without ever blocking: a named pipe (FIFO) opened for reading blocks until a
 * writer appears (for ever, and in a libuv pool thread: four such opens freeze a whole Node server), and a
 * device or folder is never a video or a model. The file is opened non-blocking and checked with fstat on the
 * opened handle (no window between the check and the open), so whatever it is, the answer comes at once.
 */
import { constants, promises as fs } from 'node:fs';
import { describeFsError, errnoOf, FileStepError } from './fs-errors';

/** O_NONBLOCK exists on POSIX only; Windows has no FIFOs in the file system. */
const READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kind(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Opens `file` for reading when it is a regular file; otherwise throws FileStepError
 * `<file>: is a named pipe (FIFO), not a <what> file` (or: no such file, permission denied, ...).
 */
export async function openRegularFile(file: string, what: string): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, READ_NONBLOCK);
  } catch (err) {
    const code = errnoOf(err);
    if (code === 'ENOENT') throw new FileStepError(`${file}: no such file`, code);
    if (code === 'ENXIO') throw new FileStepError(`${file}: is a socket or device, not a ${what} file`, code);
    throw new FileStepError(describeFsError(err, file), code);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileStepError(`${file}: is ${kind(stat)}, not a ${what} file`, 'EINVAL');
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Checks that `file` is a readable regular file; returns its size. */
export async function checkRegularFile(file: string, what: string): Promise<number> {
  const handle = await openRegularFile(file, what);
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** The bytes of `file`, undefined when it does not exist; a FIFO, folder or device there is refused, never read. */
export async function readRegularIfExists(file: string, what: string): Promise<Buffer | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file, what);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
