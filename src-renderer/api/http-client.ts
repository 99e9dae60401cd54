/**
 * Browser-mode twin of the Electron preload: the same `AvsApi` over HTTP and a WebSocket served by
 * `avs-annotator serve` on 127.0.0.1. Requests are `POST /api/{channel}` with the JSON payload and the
 * `x-avs-token` header, answered with a `Result` JSON; a payload or result holding typed arrays (rasters, pixel
 * patches) travels as an `application/octet-stream` body framed by shared/binary-message.ts instead (no base64); events arrive on `/events?token=...` as
 * `{channel, payload}` messages; media lives under `/media/{mediaPath}?token=...`.
 * Failures never throw: they come back as `ApiError` data like every other error (contract rule).
 */
import type {
  ApiError, AvsApi, EventChannel, EventMap, RequestChannel, RequestMap, Result,
} from '../../src-main/shared/ipc-contract';
import { EVENT_CHANNELS } from '../../src-main/shared/ipc-contract';
import {
  BINARY_CONTENT_TYPE, decodeBinaryMessage, encodeBinaryMessage, hasBinary,
} from '../../src-main/shared/binary-message';

export interface HttpApiOptions {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  origin: string;
  token: string;
  /** Injected in tests; defaults to the page's fetch / WebSocket. */
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  /** First delay before reconnecting a dropped event socket (ms); doubles up to 10 s while the server is away. */
  reconnectMs?: number;
}

type AnyListener = (payload: unknown) => void;

function fail(code: ApiError['code'], message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

function isResult(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  return body.ok === true ? 'value' in body : 'error' in body;
}

export function createHttpApi(options: HttpApiOptions): AvsApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const reconnectMs = options.reconnectMs ?? 1000;
  const token = encodeURIComponent(options.token);
  const listeners = new Map<EventChannel, Set<AnyListener>>();
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let warnedLost = false;
  let delay = reconnectMs;

  const dispatch = (channel: EventChannel, payload: unknown): void => {
    for (const fn of listeners.get(channel) ?? []) fn(payload);
  };
  const hasListeners = (): boolean => [...listeners.values()].some((set) => set.size > 0);

  /** One socket for all channels, opened on the first subscription and re-opened while anyone listens. */
  function connect(): void {
    if (socket || retry) return;
    const url = `${options.origin.replace(/^http/, 'ws')}/events?token=${token}`;
    const ws = new Socket(url);
    socket = ws;
    ws.onopen = () => {
      warnedLost = false;
      delay = reconnectMs;
    };
    ws.onmessage = (msg: MessageEvent) => {
      let data: unknown;
      try { data = JSON.parse(String(msg.data)); } catch { return; }
      if (typeof data !== 'object' || data === null || !('channel' in data)) return;
      const channel = data.channel as EventChannel;
      if (EVENT_CHANNELS.includes(channel)) dispatch(channel, (data as { payload?: unknown }).payload);
    };
    // A failed connect is followed by close, which reconnects; without a handler Node's `ws` would throw instead.
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return; // closed on purpose (last unsubscribe) or already replaced
      socket = null;
      if (!hasListeners()) return;
      // The UI would otherwise wait forever for a prelabel:done that cannot arrive: say so once.
      if (!warnedLost) {
        warnedLost = true;
        dispatch('log', { level: 'warn', message: 'Lost the event connection to the annotator server; reconnecting.' });
      }
      retry = setTimeout(() => { retry = null; connect(); }, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  }

  return {
    async invoke<C extends RequestChannel>(channel: C, payload: RequestMap[C]['req']) {
      type Res = Result<RequestMap[C]['res']>;
      let response: Response;
      const binary = hasBinary(payload);
      try {
        response = await doFetch(`${options.origin}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': binary ? BINARY_CONTENT_TYPE : 'application/json', 'x-avs-token': options.token },
          body: binary ? (encodeBinaryMessage(payload) as Uint8Array<ArrayBuffer>) : JSON.stringify(payload),
        });
      } catch (err) {
        return fail('io', `${channel}: cannot reach the annotator server (${String(err)})`) as Res;
      }
      const isBinaryBody = (response.headers.get('content-type') ?? '').startsWith(BINARY_CONTENT_TYPE);
      const body: unknown = await (isBinaryBody
        ? response.arrayBuffer().then((buf) => decodeBinaryMessage(new Uint8Array(buf)))
        : response.json()).catch(() => undefined);
      if (isResult(body)) return body as Res;
      return fail('internal', `${channel}: server answered HTTP ${response.status} without a result`) as Res;
    },

    on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void) {
      const set = listeners.get(channel) ?? new Set<AnyListener>();
      listeners.set(channel, set);
      const fn = listener as AnyListener;
      set.add(fn);
      connect();
      return () => {
        set.delete(fn);
        if (!hasListeners()) {
          if (retry) clearTimeout(retry);
          retry = null;
          socket?.close();
          socket = null;
        }
      };
    },

    mediaUrl(path: string) {
      return `${options.origin}/media/${path}?token=${token}`;
    },
  };
}
