/** What every domain's handlers share: the services of one app instance, built once by app-core.ts. */
import type { RequestChannel } from '../../shared/ipc-contract';
import type { InferenceHost } from '../../inference/inference-host';
import type { ProjectSession } from '../../project/project-session';
import type { MediaCache } from '../../session/media-cache';
import type { Handlers } from '../dispatch';
import type { EventBus } from '../event-bus';
import type { ModelSlot } from './model';
import type { PrelabelJobs } from './prelabel';

export type ProjectDirPurpose = 'open' | 'create' | 'save-as';

/** File pickers: native dialogs in Electron; browser mode has none for inputs and a default export folder. */
export interface Dialogs {
  pickVideo(): Promise<string | null>;
  pickModel(): Promise<string | null>;
  pickOutDir(): Promise<string | null>;
  /** A folder to open, create or save a project in. */
  pickProjectDir?(purpose: ProjectDirPurpose): Promise<string | null>;
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
