import { describe, expect, it, vi } from 'vitest';
import { createHttpApi } from '../../src-renderer/api/http-client';
import { apiFromLocation } from '../../src-renderer/api';

/** Minimal WebSocket stand-in: records instances so the test can play server messages. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((msg: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) { FakeSocket.all.push(this); }
  close(): void { this.closed = true; this.onclose?.(); }
}

function client(fetchImpl: typeof fetch) {
  return createHttpApi({
    origin: 'http://127.0.0.1:4000', token: 'a b', fetch: fetchImpl,
    WebSocket: FakeSocket as unknown as typeof WebSocket, reconnectMs: 5,
  });
}

describe('browser-mode HTTP client', () => {
  it('POSTs the payload with the token header and returns the Result as sent', async () => {
    const fetchImpl = vi.fn(async () => Response.json({ ok: true, value: { jobId: 'j' } }));
    const api = client(fetchImpl);
    const result = await api.invoke('prelabel:start', { videoId: 'v', device: 'cpu' });
    expect(result).toEqual({ ok: true, value: { jobId: 'j' } });
    expect(fetchImpl).toHaveBeenCalledWith('http://127.0.0.1:4000/api/prelabel:start', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-avs-token': 'a b' },
      body: JSON.stringify({ videoId: 'v', device: 'cpu' }),
    });
  });

  it('turns unreachable servers and non-Result answers into ApiError data', async () => {
    const down = client(async () => { throw new TypeError('Failed to fetch'); });
    expect(await down.invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'io' } });
    const html = client(async () => new Response('<html>', { status: 403 }));
    const res = await html.invoke('app:info', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(!res.ok && res.error.message).toMatch(/HTTP 403/);
  });

  it('builds media URLs with the token', () => {
    expect(client(fetch).mediaUrl('v/mask/3.png')).toBe('http://127.0.0.1:4000/media/v/mask/3.png?token=a%20b');
  });

  it('delivers events from one socket, reconnects with a warning, and closes when nobody listens', async () => {
    FakeSocket.all = [];
    const api = client(fetch);
    const progress = vi.fn();
    const logs = vi.fn();
    const offProgress = api.on('prelabel:progress', progress);
    const offLog = api.on('log', logs);
    expect(FakeSocket.all).toHaveLength(1);
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe('ws://127.0.0.1:4000/events?token=a%20b');
    ws.onmessage?.({ data: JSON.stringify({ channel: 'prelabel:progress', payload: { done: 1 } }) });
    ws.onmessage?.({ data: 'not json' });
    ws.onmessage?.({ data: JSON.stringify({ channel: 'unknown', payload: 1 }) });
    expect(progress).toHaveBeenCalledExactlyOnceWith({ done: 1 });
    ws.onclose?.();
    expect(logs).toHaveBeenCalledWith(expect.objectContaining({ level: 'warn' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(FakeSocket.all).toHaveLength(2);
    offProgress();
    offLog();
    expect(FakeSocket.all[1]!.closed).toBe(true);
  });

  it('reads the token from the page URL and keeps it for reloads', () => {
    sessionStorage.clear();
    const api = apiFromLocation('http://127.0.0.1:5000/?token=t1', sessionStorage);
    expect(api.mediaUrl('x')).toBe('http://127.0.0.1:5000/media/x?token=t1');
    expect(apiFromLocation('http://127.0.0.1:5000/', sessionStorage).mediaUrl('x')).toContain('token=t1');
  });
});
