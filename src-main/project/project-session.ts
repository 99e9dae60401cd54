/**
 * The one open project of an app instance (or none), and the moves between projects: open, create, close, the
 * untitled project `video:open` makes when none is open (in the app's data folder, so even unsaved-as work is on
 * disk), adding and relinking videos. Every project video is registered with the session's media cache.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ProjectNotice, ProjectState, RecoveryNotice, SaveState, VideoInfo } from '../shared/ipc-contract';
import type { VideoDoc } from '../shared/project-model';
import { frameSampleTimes, type VideoProbe } from '../media';
import { AppError } from '../pipeline/app-error';
import type { MediaCache } from '../session/media-cache';
import { checkVideoFile, fingerprintFile } from './fingerprint';
import { createProject, openProject } from './open-project';
import type { Project } from './project';
import { RecentProjects } from './recent-projects';

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
    const project = this.current;
    if (!project) return false;
    this.current = null;
    for (const video of project.videos()) this.media.forget(video.id);
    await project.close();
    // An untitled project nobody put a video into holds nothing: do not leave it behind.
    if (project.untitled && project.videos().length === 0) {
      await rm(project.dir, { recursive: true, force: true });
      await this.recent.remove(project.dir).catch(() => undefined);
    }
    return true;
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

  private async adopt(project: Project): Promise<ProjectState> {
    await this.close();
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
