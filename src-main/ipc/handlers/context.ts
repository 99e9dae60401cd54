/** What every domain's handlers share: the services of one app instance, built once by app-core.ts. */
import type { DeviceChoice, ModelInfo, PrelabelResult, RequestChannel } from '../../shared/ipc-contract';
import type { InferenceHost } from '../../inference/inference-host';
import type { ProjectSession } from '../../project/project-session';
import type { MediaCache } from '../../session/media-cache';
import type { Handlers } from '../dispatch';
import type { EventBus } from '../event-bus';

export type ProjectDirPurpose = 'open' | 'create' | 'save-as';

/** File pickers: native dialogs in Electron; browser mode has none for inputs and a default export folder. */
export interface Dialogs {
  pickVideo(): Promise<string | null>;
  pickModel(): Promise<string | null>;
  pickOutDir(): Promise<string | null>;
  /** A folder to open, create or save a project in. */
  pickProjectDir?(purpose: ProjectDirPurpose): Promise<string | null>;
  /** A folder of per-frame mask PNGs to import (Electron; browser mode types the path). */
  pickMaskDir?(): Promise<string | null>;
}

/** The model in use (model.ts holds the implementation; declared here so handlers never import each other). */
export interface ModelSlot {
  load(path: string): Promise<ModelInfo>;
  /** The loaded model, or an AppError saying why there is none. */
  require(): { info: ModelInfo; file: string };
}

/** Running pre-label jobs (prelabel.ts holds the implementation). */
export interface PrelabelJobs {
  /** `onlyWindowOf`: re-run only the model window holding that frame. Returns the job id. */
  start(videoId: string, device: DeviceChoice, onlyWindowOf?: number): string;
  cancel(jobId: string): boolean;
  done(jobId: string): Promise<PrelabelResult>;
  result(videoId: string): PrelabelResult | null;
  dispose(): Promise<void>;
}

export interface AppContext {
  mode: 'electron' | 'browser';
  dialogs: Dialogs;
  events: EventBus;
  media: MediaCache;
  host: InferenceHost;
  projects: ProjectSession;
  models: ModelSlot;
  jobs: PrelabelJobs;
}

/** The handlers of the channels whose names start with `domain:`. */
export type DomainHandlers<D extends string> = Pick<Handlers, Extract<RequestChannel, `${D}:${string}`>>;
