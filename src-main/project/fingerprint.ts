/**
 * A video's content fingerprint: SHA-256 of its size and three 64 KB blocks (start, middle, end). Reading 192 KB
 * is instant even for a multi-GB file, and a moved or renamed copy of the same file gives the same value, so a
 * project can recognise it when relinking; a different file of the same size almost surely does not.
 */
import { createHash } from 'node:crypto';
import { openRegularFile } from '../util/regular-file';
import type { VideoFile } from '../shared/project-model';

const BLOCK = 64 * 1024;

export async function fingerprintFile(path: string): Promise<VideoFile> {
  // Never a blocking open: a FIFO or device given as the video is refused at once.
  const handle = await openRegularFile(path, 'video');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256').update(`avs-fp-1:${size}:`);
    const buf = Buffer.alloc(BLOCK);
    for (const at of [0, Math.max(0, Math.floor(size / 2) - BLOCK / 2), Math.max(0, size - BLOCK)]) {
      const { bytesRead } = await handle.read(buf, 0, BLOCK, at);
      hash.update(buf.subarray(0, bytesRead));
    }
    return { path, size, fingerprint: hash.digest('hex').slice(0, 32) };
  } finally {
    await handle.close();
  }
}

/** Why `path` is not (any longer) the project's video, or null when it is. */
export async function checkVideoFile(expected: VideoFile, path = expected.path): Promise<'missing' | 'changed' | null> {
  let found: VideoFile;
  try {
    found = await fingerprintFile(path);
  } catch {
    return 'missing';
  }
  return found.size === expected.size && found.fingerprint === expected.fingerprint ? null : 'changed';
}
