/**
 * In-memory `AvsApi` for store tests only (jsdom has no server). Each channel answers from `handlers`;
 * `emit` plays an event from main. Everything beyond store logic is tested against the real server (e2e).
 */
import { AVSS_CLASSES } from '../../src-main/shared/avss-classes';
import type {
  ApiError, AvsApi, EventChannel, EventMap, PrelabelResult, ProviderStatus, RequestChannel, RequestMap, Result,
  VideoInfo,
} from '../../src-main/shared/ipc-contract';

export type Handlers = {
  [C in RequestChannel]?: (req: RequestMap[C]['req']) => RequestMap[C]['res'] | ApiError;
};

export interface FakeApi {
  api: AvsApi;
  calls: { channel: RequestChannel; payload: unknown }[];
  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void;
  listenerCount(): number;
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

export function createFakeApi(handlers: Handlers): FakeApi {
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
  const api: AvsApi = {
    async invoke<C extends RequestChannel>(channel: C, payload: RequestMap[C]['req']) {
      calls.push({ channel, payload });
      const handler = handlers[channel] as ((req: RequestMap[C]['req']) => unknown) | undefined;
      if (!handler) return { ok: false, error: { code: 'unsupported', message: `${channel} not faked` } } as Result<RequestMap[C]['res']>;
      const out = handler(payload);
      return (isApiError(out) ? { ok: false, error: out } : { ok: true, value: out }) as Result<RequestMap[C]['res']>;
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    mediaUrl: (path) => `http://fake/media/${path}`,
  };
  return {
    api,
    calls,
    emit: (channel, payload) => listeners.get(channel)?.forEach((fn) => fn(payload)),
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

export function video(id: string, overrides: Partial<VideoInfo> = {}): VideoInfo {
  return {
    videoId: id, fileName: `${id}.mp4`, durationSec: 5, fps: 25, width: 64, height: 48, rotation: 0,
    hasAudio: true, sampledFrames: 5, ...overrides,
  };
}

export function prelabelResult(videoId: string, frames: PrelabelResult['frames'], provider?: Partial<ProviderStatus>): PrelabelResult {
  return {
    videoId,
    frames,
    provider: { requested: 'auto', active: 'cpu', available: ['cpu'], ...provider },
    model: {
      fileName: 'tiny.onnx', task: 'avss', classes: [...AVSS_CLASSES], inputSize: [112, 112], framesPerClip: 10,
      mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], sampleRate: 16000, model: 'ccformer',
      variant: 'ccformer_tiny', version: '0.1.0',
    },
    seconds: 1.5,
  };
}
