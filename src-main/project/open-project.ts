/**
 * Creating and opening project folders, with recovery that needs nobody's help:
 *  - project.json unreadable or invalid -> the last good copy (project.json.bak) is used, the damaged file kept
 *    as project.json.damaged, and the user told; neither usable -> refused with the file and the field named;
 *  - the journal is replayed on top (edits made after the last compaction, including those of a crash), a torn
 *    last record (a write the crash interrupted, never reported as saved) cut off;
 *  - leftover temp files of an interrupted atomic write are removed;
 *  - a video not found where it was (or not the same file) is listed in `missingVideos` for project:relink.
 * Another instance's live lock -> read-only, and the state says who holds it.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RecoveryNotice } from '../shared/ipc-contract';
import { PROJECT_SCHEMA_VERSION, type ProjectManifest } from '../shared/project-model';
import { AppError } from '../pipeline/app-error';
import { TEMP_PREFIX } from '../util/atomic-write';
import { checkVideoFile } from './fingerprint';
import { Journal } from './journal';
import { BACKUP_FILE, LOCK_FILE, MANIFEST_FILE, MASKS_DIR, backupPath, manifestPath } from './layout';
import { ProjectLock } from './lock';
import { ManifestError, readManifestFile, serializeManifest, writeManifest, type ReadManifest } from './manifest-file';
import { Project, type ProjectListener } from './project';
import { makeDirs } from '../util/make-dir';

export interface OpenOptions {
  listener: ProjectListener;
  untitled?: boolean;
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Creates a project in `dir` (new, or an existing empty folder) and opens it. */
export async function createProject(dir: string, name: string | undefined, opts: OpenOptions): Promise<Project> {
  if (await isDir(dir)) {
    const entries = (await readdir(dir)).filter((n) => !n.startsWith('.'));
    if (entries.includes(MANIFEST_FILE)) throw new AppError('bad-input', `${dir} already holds a project: open it instead`);
    if (entries.length > 0) throw new AppError('bad-input', `${dir} is not empty: choose a new or empty folder for the project`);
  }
  await makeDirs(dir); // bounded: a user-chosen folder on /proc fails at once instead of spinning
  const manifest: ProjectManifest = {
    schemaVersion: PROJECT_SCHEMA_VERSION, id: `p${randomBytes(8).toString('hex')}`, name: name ?? basename(dir),
    createdAt: new Date().toISOString(), videos: [], revision: 0,
  };
  await writeManifest(dir, serializeManifest(manifest), null);
  return openProject(dir, opts);
}

/** Reads the manifest, or the backup when it is damaged; throws naming both when neither works. */
async function readWithFallback(dir: string, notices: RecoveryNotice[], writable: boolean): Promise<{ read: ReadManifest; text: boolean }> {
  try {
    return { read: await readManifestFile(manifestPath(dir), MANIFEST_FILE), text: true };
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    let backup: ReadManifest;
    try {
      backup = await readManifestFile(backupPath(dir), BACKUP_FILE);
    } catch (second) {
      const why = second instanceof ManifestError ? `; ${second.message}` : '';
      throw new AppError('bad-input', `${join(dir, MANIFEST_FILE)}: ${err.problem}${why}: the project cannot be opened`);
    }
    let action = `restored the last good copy (${BACKUP_FILE}, revision ${backup.manifest.revision}) and replayed the journal on top`;
    if (writable && err.problem !== 'is missing') {
      await rename(manifestPath(dir), `${manifestPath(dir)}.damaged`).catch(() => undefined);
      action += `; the damaged file is kept as ${MANIFEST_FILE}.damaged`;
    }
    notices.push({ file: MANIFEST_FILE, problem: err.problem, action });
    return { read: backup, text: false };
  }
}

/** Temp files of atomic writes a crash interrupted: never part of the project. */
async function removeLeftovers(dir: string, manifest: ProjectManifest): Promise<void> {
  const folders = [dir, ...manifest.videos.map((v) => join(dir, MASKS_DIR, v.id))];
  for (const folder of folders) {
    const names = await readdir(folder).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith(TEMP_PREFIX)).map((n) => rm(join(folder, n), { recursive: true, force: true })));
  }
}

export async function openProject(dir: string, opts: OpenOptions): Promise<Project> {
  if (!(await isDir(dir))) throw new AppError('not-found', `${dir}: no such project folder`);
  const outcome = await ProjectLock.acquire(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EACCES' || err.code === 'EROFS' || err.code === 'EPERM') return null;
    throw err;
  });
  const writable = outcome?.held === true;
  const lock = outcome?.held ? outcome.lock : null;
  try {
    const notices: RecoveryNotice[] = [];
    if (outcome?.held && outcome.tookOver) {
      const t = outcome.tookOver;
      notices.push({ file: LOCK_FILE, problem: `stale lock of pid ${t.pid} on ${t.host} (since ${t.startedAt}), which is no longer running`, action: 'took the lock over' });
    }
    const { read, text } = await readWithFallback(dir, notices, writable);
    const manifest = read.manifest;
    if (writable) await removeLeftovers(dir, manifest);
    let readOnly: ConstructorParameters<typeof Project>[0]['readOnly'] = null;
    if (!outcome) readOnly = { reason: 'the project folder is not writable' };
    else if (!outcome.held) {
      const h = outcome.holder;
      readOnly = { reason: `it is open in another instance (pid ${h.pid} on ${h.host}, since ${h.startedAt})`, lock: h };
    }
    const opened = await Journal.open(dir, { writable, onDurable: () => {} });
    notices.push(...opened.notices);
    const project = new Project({
      dir, manifest, manifestText: text ? serializeManifest(manifest) : null, journal: writable ? opened.journal : null,
      lock, readOnly, untitled: opts.untitled ?? false, listener: opts.listener,
    });
    const before = manifest.revision;
    const replay = await project.replay(opened.entries);
    // A clean close always compacts, so journal entries after the manifest mean the last session ended abruptly.
    if (replay.applied > 0) {
      notices.push({ file: 'journal', problem: 'the last session ended before its final save', action: `recovered ${replay.applied} change(s) from the journal (revision ${before} -> ${project.revision})` });
    }
    if (replay.problem) notices.push({ file: 'journal', problem: replay.problem, action: 'stopped the replay there; later journal entries were not applied' });
    if (read.fromVersion < PROJECT_SCHEMA_VERSION) {
      notices.push({ file: MANIFEST_FILE, problem: `schema version ${read.fromVersion}`, action: `migrated to version ${PROJECT_SCHEMA_VERSION} (the old file is kept as ${BACKUP_FILE} on the next save)` });
    }
    project.recovered = notices;
    const checks = await Promise.all(manifest.videos.map(async (video) => ({ video, problem: await checkVideoFile(video.file) })));
    project.missingVideos = checks.flatMap(({ video, problem }) => (problem ? [{ videoId: video.id, path: video.file.path, problem }] : []));
    // Anything repaired or replayed is written back soon, so the next open is a plain one.
    if (writable && (replay.applied > 0 || notices.length > 0)) project.markDirty();
    return project;
  } catch (err) {
    await lock?.release();
    throw err;
  }
}
