/**
 * The one open project of an app instance (or none), and the moves between projects: open, create, close, save
 * as, the untitled project `video:open` makes when none is open (in the app's data folder, so even unsaved-as
 * work is on disk), adding and relinking videos. Every project video is registered with the session's media cache.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ProjectNotice, ProjectState, RecoveryNotice, SaveState, VideoInfo } from '../shared/ipc-contract';
import type { VideoDoc } from '../shared/project-model';
import { frameSampleTimes, type VideoProbe } from '../media';
import { AppError } from '../pipeline/app-error';
import { describeFsError } from '../util/fs-errors';
import type { MediaCache } from '../session/media-cache';
import { checkVideoFile, fingerprintFile } from './fingerprint';
import { createProject, openProject } from './open-project';
import type { Project } from './project';
import { RecentProjects } from './recent-projects';
import { isInside } from '../util/path-inside';
import { checkSaveAsTarget, copyProjectFolder, type SaveAsCopyOptions } from './save-as';

export interface SessionListener {
  saved(revision: number, state: SaveState): void;
  notice(notice: ProjectNotice): void;
  recovered(dir: string, notices: RecoveryNotice[]): void;
}

export function videoInfo(video: VideoDoc): VideoInfo {
  return {
    videoId: video.id, fileName: basename(video.file.path), durationSec: video.durationSec, fps: video.fps, width: video.width,
    height: video.height, rotation: video.rotation, hasAudio: video.hasAudio, sampledFrames: video.frames.length,
  };
}

export class ProjectSession {
  private current: Project | null = null;
  /** A save as in progress: requests on the document wait for it, then go to whichever project is open. */
  private switching: Promise<unknown> | null = null;
  readonly recent: RecentProjects;

  constructor(private readonly dataDir: string, private readonly media: MediaCache, private readonly listener: SessionListener) {
    this.recent = new RecentProjects(dataDir);
  }

  get project(): Project | null {
    return this.current;
  }

  require(): Project {
    if (!this.current) throw new AppError('bad-input', 'no project is open: open or create a project first');
    return this.current;
  }

  /** The open project once any save as in progress has finished (edits made meanwhile land in the new copy). */
  async ready(): Promise<Project> {
    while (this.switching) await this.switching;
    return this.require();
  }

  state(): ProjectState | null {
    return this.current?.state() ?? null;
  }

  async open(dir: string): Promise<ProjectState> {
    return this.adopt(await openProject(resolve(dir), { listener: this.listener }));
  }

  async create(dir: string, name?: string): Promise<ProjectState> {
    return this.adopt(await createProject(resolve(dir), name, { listener: this.listener }));
  }

  /** Opens `dir` as a project, creating it when the folder is missing or empty (the CLI's --project). */
  async openOrCreate(dir: string): Promise<ProjectState> {
    try {
      return await this.create(dir);
    } catch (err) {
      if (err instanceof AppError && /already holds a project/.test(err.message)) return this.open(dir);
      throw err;
    }
  }

  /** The open project, or a new untitled one in the app's data folder. */
  async ensure(): Promise<Project> {
    if (this.current) return this.current;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = join(this.dataDir, 'untitled', `untitled-${stamp}-${randomBytes(2).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    const project = await createProject(dir, 'Untitled', { listener: this.listener, untitled: true });
    await this.adopt(project);
    return project;
  }

  async close(): Promise<boolean> {
    while (this.switching) await this.switching;
    const project = this.current;
    if (!project) return false;
    this.current = null;
    await this.retire(project, () => true);
    // An untitled project nobody put a video into holds nothing: do not leave it behind.
    if (project.untitled && project.videos().length === 0) {
      await rm(project.dir, { recursive: true, force: true });
      await this.recent.remove(project.dir).catch(() => undefined);
    }
    return true;
  }

  /**
   * Saves the open project as `target` (a new or empty folder) and continues in the copy: the source is made
   * complete on disk, copied (without its lock), the copy opened (taking its own lock) and listed as recent, then
   * the source closed (lock released) and, when it was the untitled project in the app's data folder, removed.
   * A failure before the copy is open leaves no target and the source open as it was.
   */
  async saveAs(target: string, options: SaveAsCopyOptions = {}): Promise<ProjectState> {
    // Marked at once (not after an await), so a request that arrives right behind this one already waits.
    const previous = this.switching;
    const work = (async () => {
      await previous;
      return this.copyAndSwitch(this.require(), resolve(target), options);
    })();
    const settled = work.catch(() => undefined);
    this.switching = settled;
    try {
      return await work;
    } finally {
      if (this.switching === settled) this.switching = null;
    }
  }

  private async copyAndSwitch(source: Project, dir: string, options: SaveAsCopyOptions): Promise<ProjectState> {
    await checkSaveAsTarget(source.dir, dir);
    const copy = await source.exclusive(async () => {
      try {
        await copyProjectFolder(source.dir, dir, source.state().manifest, options);
      } catch (err) {
        const why = err instanceof AppError ? err.message : describeFsError(err, dir);
        throw new AppError(err instanceof AppError ? err.code : 'io', `Save as ${dir} failed (${why}); ${source.dir} is unchanged and still open`);
      }
      try {
        return await openProject(dir, { listener: this.listener });
      } catch (err) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      }
    });
    this.current = null;
    const kept = new Set(copy.videos().map((v) => v.id));
    // Everything was written before the copy; a close that still fails must not undo a save as that worked.
    await this.retire(source, (id) => !kept.has(id)).catch((err: Error) => {
      this.listener.notice({ kind: 'other', level: 'warn', message: `${source.dir} could not be closed cleanly after save as: ${err.message}` });
    });
    if (source.untitled && source.dir !== resolve(this.dataDir) && isInside(resolve(this.dataDir), source.dir)) {
      // Its work now lives in the copy: an untitled project is the app's scratch folder, not the user's.
      await rm(source.dir, { recursive: true, force: true }).catch(() => undefined);
      await this.recent.remove(source.dir).catch(() => undefined);
    }
    return this.install(copy);
  }

  /** Adds a probed video (the same file twice keeps its id). */
  async addVideo(file: string, probe: VideoProbe): Promise<VideoDoc> {
    const project = await this.ensure();
    const stamp = await fingerprintFile(file);
    const same = project.videos().find((v) => v.file.path === stamp.path || (v.file.fingerprint === stamp.fingerprint && v.file.size === stamp.size));
    if (same) return same;
    const video: VideoDoc = {
      id: `v${randomBytes(8).toString('hex')}`, file: stamp, durationSec: probe.durationSec, fps: probe.fps, width: probe.width,
      height: probe.height, rotation: probe.rotation, hasAudio: probe.hasAudio, objects: [], nextObjectId: 1,
      frames: frameSampleTimes(probe).map((timeSec, index) => ({ index, timeSec, review: 'unreviewed', source: { kind: 'none' }, revision: 0 })),
    };
    await project.commit([{ op: 'video:add', video }]);
    this.media.register(video.id, file, probe);
    return project.video(video.id);
  }

  /** Points a moved video at `path` when it is the same file (size + fingerprint). */
  async relink(videoId: string, path: string): Promise<ProjectState> {
    const project = this.require();
    const video = project.video(videoId);
    const problem = await checkVideoFile(video.file, path);
    if (problem === 'missing') throw new AppError('not-found', `${path}: no such video file`);
    if (problem === 'changed') throw new AppError('bad-input', `${path} is not the project's video ${basename(video.file.path)} (its size or content differs)`);
    await project.commit([{ op: 'video:relink', videoId, file: { ...video.file, path } }]);
    project.missingVideos = project.missingVideos.filter((m) => m.videoId !== videoId);
    this.media.register(videoId, path);
    return project.state();
  }

  /** Closes a project that is no longer current (flushed, lock released); `forget`: which videos leave the cache. */
  private async retire(project: Project, forget: (videoId: string) => boolean): Promise<void> {
    for (const video of project.videos()) if (forget(video.id)) this.media.forget(video.id);
    await project.close();
  }

  private async adopt(project: Project): Promise<ProjectState> {
    await this.close();
    return this.install(project);
  }

  private async install(project: Project): Promise<ProjectState> {
    this.current = project;
    for (const video of project.videos()) {
      if (project.missingVideos.some((m) => m.videoId === video.id)) {
        this.listener.notice({ kind: 'relink', level: 'warn', videoId: video.id, message: `${video.file.path} was moved or changed: relink it to see its frames (its masks are safe in the project)` });
      } else {
        this.media.register(video.id, video.file.path);
      }
    }
    if (project.readOnly) this.listener.notice({ kind: 'read-only', level: 'warn', message: `${project.dir} is open read-only: ${project.readOnly.reason}` });
    if (project.recovered.length > 0) this.listener.recovered(project.dir, project.recovered);
    // Untitled projects are listed too: that is how the user finds one again after a restart.
    const name = project.untitled ? `${project.name} (${project.dir.split(/[\\/]/).pop()})` : project.name;
    await this.recent.touch(project.dir, name).catch(() => undefined);
    return project.state();
  }
}
