/**
 * The app core: one project store, one inference host, one event bus, and the handlers of every request
 * channel. Electron (main.ts) and browser mode (serve) both build it and differ only in their Dialogs and in
 * how they carry requests and events; the CLI uses the same store and pipeline directly.
 */
import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { DeviceChoice, ModelInfo, PrelabelResult, VideoInfo } from '../shared/ipc-contract';
import { InferenceHost } from '../inference/inference-host';
import type { Transport } from '../inference/worker-channel';
import { loadModelContract } from '../inference/onnx-metadata';
import { probeVideo, resolveFfmpeg } from '../media';
import { AppError, toApiError } from '../pipeline/app-error';
import { appVersion } from '../pipeline/app-paths';
import { exportAvss } from '../pipeline/export-avss';
import { datasetExport, datasetPreview } from '../pipeline/export-datasets';
import { saveEditedMask } from '../pipeline/mask-edits';
import { prelabelVideo } from '../pipeline/prelabel-video';
import { ProjectStore } from '../pipeline/project-store';
import { createRequestHandler, type HandleRequest, type Handlers } from './dispatch';
import { EventBus } from './event-bus';

/** File pickers: native dialogs in Electron; browser mode has none for inputs and a default export folder. */
export interface Dialogs {
  pickVideo(): Promise<string | null>;
  pickModel(): Promise<string | null>;
  pickOutDir(): Promise<string | null>;
}

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
  /** Parent of the work folder (default: the OS temp folder). */
  workParent?: string;
  /** Inference worker transport (default: a child process; see inference/worker-channel.ts). */
  transport?: Transport;
}

export interface AppCore {
  handleRequest: HandleRequest;
  events: EventBus;
  store: ProjectStore;
  host: InferenceHost;
  mediaFile(mediaPath: string): Promise<string | null>;
  openVideo(path: string): Promise<VideoInfo>;
  /** Starts a pre-label job; resolves with its jobId at once, the result arrives as events. */
  startPrelabel(videoId: string, device: DeviceChoice): string;
  /** Resolves when the job ends (used by `demo` and tests); rejects with its error. */
  jobDone(jobId: string): Promise<PrelabelResult>;
  dispose(): Promise<void>;
}

interface Job {
  videoId: string;
  controller: AbortController;
  done: Promise<PrelabelResult>;
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const events = new EventBus();
  let model: ModelInfo | null = null;
  let modelFile: string | null = null;
  let modelProblem = 'no model is loaded: open an ONNX model first';

  async function setModel(path: string): Promise<ModelInfo> {
    const file = resolve(path);
    const contract = await loadModelContract(file);
    model = { ...contract, fileName: file.split(/[\\/]/).pop() ?? file };
    modelFile = file;
    return model;
  }
  if (options.modelPath) {
    try {
      await setModel(options.modelPath);
    } catch (err) {
      if (options.modelRequired) throw err;
      modelProblem = `the default model cannot be used: ${toApiError(err).message}`;
    }
  }
  // Created only once the model checks passed: a failed start leaves no work folder or worker behind.
  const store = await ProjectStore.create(options.workParent);
  const host = new InferenceHost({
    log: (level, message) => events.log(level, message),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const jobs = new Map<string, Job>();

  async function openVideo(path: string): Promise<VideoInfo> {
    const file = isAbsolute(path) ? path : resolve(path);
    return store.addVideo(file, await probeVideo(file)).info;
  }

  function startPrelabel(videoId: string, device: DeviceChoice): string {
    const entry = store.video(videoId);
    if (!model || !modelFile) throw new AppError('model', modelProblem);
    // One job per video: a new start replaces a running one.
    for (const job of jobs.values()) if (job.videoId === videoId) job.controller.abort();
    const jobId = `j${randomBytes(8).toString('hex')}`;
    const controller = new AbortController();
    const done = prelabelVideo({
      entry, store, host, model, modelFile, device, signal: controller.signal,
      onProgress: (p) => events.emit('prelabel:progress', { jobId, videoId, ...p }),
      onProvider: (status) => events.emit('provider:changed', status),
    });
    jobs.set(jobId, { videoId, controller, done });
    done.then(
      (result) => {
        store.setResult(result);
        events.emit('prelabel:done', { jobId, result });
      },
      (err: unknown) => events.emit('prelabel:error', { jobId, videoId, error: toApiError(err) }),
    ).finally(() => jobs.delete(jobId));
    return jobId;
  }

  const handlers: Handlers = {
    'app:info': async () => ({
      version: appVersion(), mode: options.mode, ffmpeg: resolveFfmpeg().summary, providers: await host.providers(),
    }),
    'video:open': async ({ path }) => {
      const chosen = path ?? (await options.dialogs.pickVideo());
      return chosen ? openVideo(chosen) : null;
    },
    'video:list': async () => store.videos(),
    'model:info': async () => {
      if (!model) throw new AppError('model', modelProblem);
      return model;
    },
    'model:open': async ({ path }) => {
      const chosen = path ?? (await options.dialogs.pickModel());
      return chosen ? setModel(chosen) : null;
    },
    'prelabel:start': async ({ videoId, device }) => ({ jobId: startPrelabel(videoId, device) }),
    'prelabel:cancel': async ({ jobId }) => {
      const job = jobs.get(jobId);
      job?.controller.abort();
      return { cancelled: job !== undefined };
    },
    'prelabel:result': async ({ videoId }) => store.result(store.video(videoId).id),
    'mask:save': async ({ videoId, index, pngBase64 }) => saveEditedMask(store, videoId, index, Buffer.from(pngBase64, 'base64')),
    'export:avss': async ({ videoId, split, outDir }) => {
      const chosen = outDir ?? (await options.dialogs.pickOutDir());
      return chosen ? exportAvss(store, videoId, { split, outDir: resolve(chosen) }) : null;
    },
    'export:preview': async (request) => datasetPreview(store, request),
    'export:dataset': async (request) => {
      const chosen = await options.dialogs.pickOutDir();
      return chosen ? datasetExport(store, request, resolve(chosen)) : null;
    },
  };

  return {
    handleRequest: createRequestHandler(handlers, (message) => events.log('error', message)),
    events,
    store,
    host,
    mediaFile: (mediaPath) => store.mediaFile(mediaPath),
    openVideo,
    startPrelabel,
    jobDone: (jobId) => jobs.get(jobId)?.done ?? Promise.reject(new AppError('not-found', `no running job ${jobId}`)),
    dispose: async () => {
      for (const job of jobs.values()) job.controller.abort();
      await Promise.allSettled([...jobs.values()].map((j) => j.done));
      await host.dispose();
      await store.dispose();
    },
  };
}
