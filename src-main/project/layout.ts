/**
 * A project folder on disk (the user chooses it; everything the project owns lives inside):
 *   project.json            the manifest: videos, frames, objects (no pixels); replaced atomically
 *   project.json.bak        the previous manifest: the last good copy an open falls back on
 *   journal/{n}.avsj        append-only journal segments: every committed change since the manifest, fsynced
 *   masks/{videoId}/{k}.png one lossless object-id raster per sampled frame that has a mask (raster-file.ts)
 *   .avs-lock               who has the project open for writing (lock.ts)
 * Videos stay where the user keeps them (by path + size + fingerprint); frames and audio are re-made on demand in
 * the session's media cache, so nothing is stored twice.
 */
import { join } from 'node:path';

export const MANIFEST_FILE = 'project.json';
export const BACKUP_FILE = 'project.json.bak';
export const JOURNAL_DIR = 'journal';
export const MASKS_DIR = 'masks';
export const LOCK_FILE = '.avs-lock';

export const manifestPath = (dir: string): string => join(dir, MANIFEST_FILE);
export const backupPath = (dir: string): string => join(dir, BACKUP_FILE);
export const journalDir = (dir: string): string => join(dir, JOURNAL_DIR);
export const maskDir = (dir: string, videoId: string): string => join(dir, MASKS_DIR, videoId);
/** Relative to the project folder: what notices and errors name. */
export const maskName = (videoId: string, frame: number): string => `${MASKS_DIR}/${videoId}/${frame}.png`;
export const maskPath = (dir: string, videoId: string, frame: number): string => join(dir, maskName(videoId, frame));
