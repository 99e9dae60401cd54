/**
 * The one contract between the renderer and the main process. Electron carries it over ipcRenderer.invoke /
 * webContents.send (through the preload's `window.avs`), browser mode over HTTP POST /api/{channel} and a
 * WebSocket for events; both bridges implement `AvsApi` from this file and nothing else.
 * Pure TypeScript: no Node or DOM imports, so both sides can import it.
 * Channel names are `domain:verb`. Every request payload is validated in main (src-main/ipc/validate.ts).
 */
import type { ModelContract } from './onnx-contract';

import type { DatasetExportSummary, ExportPreview, ExportRequest } from './dataset-formats';

export type DeviceChoice = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export type ProviderName = Exclude<DeviceChoice, 'auto'>;
export type DatasetSplit = 'train' | 'val' | 'test';

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
  /** Set when `auto` or an explicit GPU choice fell back to CPU: why. Shown as a warning badge. */
  fallbackReason?: string;
  available: ProviderName[];
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

export type MediaKind = 'frame' | 'thumb' | 'mask' | 'audio';

/** Relative media path (served by the avs-media:// protocol in Electron, /media/ over HTTP in browser mode). */
export function mediaPath(videoId: string, kind: MediaKind, index = 0): string {
  const id = encodeURIComponent(videoId);
  if (kind === 'audio') return `${id}/audio.wav`;
  return `${id}/${kind}/${index}.${kind === 'mask' ? 'png' : 'jpg'}`;
}

/** Request channels: payload in, result out. */
export interface RequestMap {
  'app:info': { req: Record<string, never>; res: { version: string; mode: 'electron' | 'browser'; ffmpeg: string; providers: ProviderName[] } };
  'video:open': { req: { path?: string }; res: VideoInfo | null };
  'video:list': { req: Record<string, never>; res: VideoInfo[] };
  'model:info': { req: Record<string, never>; res: ModelInfo };
  'model:open': { req: { path?: string }; res: ModelInfo | null };
  'prelabel:start': { req: { videoId: string; device: DeviceChoice }; res: { jobId: string } };
  'prelabel:cancel': { req: { jobId: string }; res: { cancelled: boolean } };
  'prelabel:result': { req: { videoId: string }; res: PrelabelResult | null };
  /** Replace one frame's class-index mask (edits); PNG bytes base64, single channel, video size. */
  'mask:save': { req: { videoId: string; index: number; pngBase64: string }; res: FrameLabel };
  'export:avss': { req: { videoId: string; split: DatasetSplit; outDir?: string }; res: ExportResult | null };
  /** What an export would write (clips, frames, objects, classes, splits, warnings); nothing is written. */
  'export:preview': { req: ExportRequest; res: ExportPreview };
  /** Exports in any layout; main asks the user for the folder (a renderer never sends a path). null = cancelled. */
  'export:dataset': { req: ExportRequest; res: DatasetExportSummary | null };
}

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

export const REQUEST_CHANNELS: readonly RequestChannel[] = [
  'app:info', 'video:open', 'video:list', 'model:info', 'model:open', 'prelabel:start', 'prelabel:cancel',
  'prelabel:result', 'mask:save', 'export:avss', 'export:preview', 'export:dataset',
];
export const EVENT_CHANNELS: readonly EventChannel[] = [
  'prelabel:progress', 'prelabel:done', 'prelabel:error', 'provider:changed', 'log',
];
