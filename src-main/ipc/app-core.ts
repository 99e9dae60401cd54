/**
 * The app core: the services of one app instance (media cache, inference host, event bus, the open project,
 * the model, pre-label jobs) and the request handlers of every domain (ipc/handlers/{domain}.ts). Electron
 * (main.ts), browser mode (serve) and the CLI all build it and go through the same handlers; they differ only
 * in their Dialogs and in how they carry requests and events.
 */
import { join, resolve } from 'node:path';
import type { DatasetSplit, DeviceChoice, ExportResult, MaskImportSummary, PrelabelResult, ProjectState, VideoInfo } from '../shared/ipc-contract';
import { InferenceHost } from '../inference/inference-host';
import type { ChannelFactory, Transport } from '../inference/worker-channel';
import { AppError, toApiError } from '../pipeline/app-error';
import { defaultDataDir } from '../pipeline/app-paths';
import { exportAvss } from '../pipeline/export-avss';
import { datasetExport } from '../pipeline/export-datasets';
import type { DatasetExportSummary, ExportRequest } from '../shared/dataset-formats';
import { projectExportSource } from '../project/export-source';
import { importMaskFolder } from '../project/mask-folder-import';
import { ProjectSession } from '../project/project-session';
import { MediaCache } from '../session/media-cache';
import { createRequestHandler, type HandleRequest, type Handlers } from './dispatch';
import { EventBus } from './event-bus';
import { appHandlers } from './handlers/app';
import type { AppContext, Dialogs } from './handlers/context';
import { exportHandlers } from './handlers/export';
import { ModelFileSlot, modelHandlers } from './handlers/model';
import { PrelabelJobQueue, prelabelHandlers } from './handlers/prelabel';
import { maskHandlers } from './handlers/masks';
import { projectHandlers } from './handlers/project';
import { openVideo, videoHandlers } from './handlers/video';
import { mediaFiles } from './media-files';
import { assistHandlers } from '../assist/assist-handlers';

export type { Dialogs } from './handlers/context';

export interface AppCoreOptions {
  mode: 'electron' | 'browser';
  dialogs: Dialogs;
  /** Model used until the user opens another (the bundled one); none -> model:info reports it. */
  modelPath?: string | undefined;
  /**
   * true (CLI, explicit --model): a bad model fails createAppCore with the file named. false (the app): the app
   * still starts, and model:info reports the problem until the user opens another model.
   */
  modelRequired?: boolean;
  /** Parent of the session's media cache folder (default: the OS temp folder). */
  workParent?: string;
  /** Settings (recent projects) and untitled projects (default: AVS_DATA_DIR, else inside workParent, else the OS's per-user config folder). */
  dataDir?: string;
  /** Inference worker transport (default: a child process; see inference/worker-channel.ts). */
  transport?: Transport;
  /** Starts the inference worker another way (Electron passes its utility process: electron/utility-channel.ts). */
  workerChannel?: ChannelFactory;
}

export interface AppCore {
  handleRequest: HandleRequest;
  events: EventBus;
  host: InferenceHost;
  mediaFile(mediaPath: string): Promise<string | null>;
  /** The CLI's ways in: the same services the handlers use. */
  openVideo(path: string): Promise<VideoInfo>;
  /** Opens a project folder; `create` makes it when missing or empty (the CLI's --project). */
  openProject(dir: string, opts?: { create?: boolean }): Promise<ProjectState>;
  /** Starts a pre-label job; resolves with its jobId at once, the result arrives as events. */
  startPrelabel(videoId: string, device: DeviceChoice): string;
  /** Resolves when the job ends (used by `demo` and tests); rejects with its error. */
  jobDone(jobId: string): Promise<PrelabelResult>;
  /** A folder of per-frame mask PNGs into a video of the open project (the `masks:import` handler's work). */
  importMasks(videoId: string, dir: string, opts?: { signal?: AbortSignal }): Promise<MaskImportSummary>;
  /** Every video of the open project (or those given) as AVSS clips in `outDir`. */
  exportAvss(outDir: string, split: DatasetSplit, opts?: { videoIds?: string[]; signal?: AbortSignal; onWarning?: (message: string) => void }): Promise<ExportResult>;
  /** Every video of the open project (or those given) as a dataset of any layout in `outDir`. */
  exportDataset(outDir: string, request: ExportRequest, opts?: { signal?: AbortSignal }): Promise<DatasetExportSummary>;
  /** Makes every committed edit durable and compacted (quit, window blur, SIGINT/SIGTERM). */
  flush(): Promise<void>;
  /** Flushes and closes the project (lock released), stops jobs and the worker, removes the media cache. */
  dispose(): Promise<void>;
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const events = new EventBus();
  const models = new ModelFileSlot();
  if (options.modelPath) {
    try {
      await models.load(options.modelPath);
    } catch (err) {
      if (options.modelRequired) throw err;
      models.problem = `the default model cannot be used: ${toApiError(err).message}`;
    }
  }
  // Created only once the model checks passed: a failed start leaves no work folder or worker behind.
  const media = await MediaCache.create(options.workParent);
  const dataDir = options.dataDir ?? process.env['AVS_DATA_DIR'] ?? (options.workParent ? join(options.workParent, 'avs-data') : defaultDataDir());
  const projects = new ProjectSession(dataDir, media, {
    saved: (revision, state) => events.emit('project:saved', { revision, state }),
    notice: (notice) => events.emit('project:notice', notice),
    recovered: (dir, notices) => events.emit('project:recovered', { dir, notices }),
  });
  const host = new InferenceHost({
    log: (level, message) => events.log(level, message),
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.workerChannel ? { channel: options.workerChannel } : {}),
  });
  // Click-to-mask runs in a second worker process, so a click never queues behind a pre-label window.
  const assistHost = new InferenceHost({
    log: (level, message) => events.log(level, message),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const ctx: AppContext = {
    mode: options.mode, dialogs: options.dialogs, events, media, host, projects, models, jobs: new PrelabelJobQueue(() => ctx),
  };
  const handlers: Handlers = {
    ...appHandlers(ctx), ...videoHandlers(ctx), ...modelHandlers(ctx), ...prelabelHandlers(ctx), ...exportHandlers(ctx),
    ...projectHandlers(ctx), ...maskHandlers(ctx), ...assistHandlers(ctx, assistHost),
  };
  let disposed = false;

  return {
    handleRequest: createRequestHandler(handlers, (message) => events.log('error', message)),
    events,
    host,
    mediaFile: mediaFiles(media, projects),
    openVideo: (path) => openVideo(ctx, path),
    openProject: (dir, opts = {}) => (opts.create ? projects.openOrCreate(dir) : projects.open(dir)),
    importMasks: (videoId, dir, opts = {}) => importMaskFolder(projects.require(), videoId, resolve(dir), opts.signal),
    startPrelabel: (videoId, device) => ctx.jobs.start(videoId, device),
    jobDone: (jobId) => ctx.jobs.done(jobId),
    exportAvss: async (outDir, split, opts = {}) => {
      const project = projects.require();
      if (project.videos().length === 0) throw new AppError('bad-input', `${project.dir} has no video to export`);
      return exportAvss(projectExportSource(project, media, opts.videoIds), {
        split, outDir: resolve(outDir), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
      });
    },
    exportDataset: async (outDir, request, opts = {}) => {
      const project = projects.require();
      if (project.videos().length === 0) throw new AppError('bad-input', `${project.dir} has no video to export`);
      return datasetExport(projectExportSource(project, media, request.videoIds), request, resolve(outDir), opts.signal);
    },
    flush: async () => {
      await projects.project?.flush();
    },
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await ctx.jobs.dispose();
      await projects.close().catch((err: Error) => events.log('error', `closing the project failed: ${err.message}`));
      await host.dispose();
      await assistHost.dispose();
      await media.dispose();
    },
  };
}
