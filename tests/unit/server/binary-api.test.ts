// Binary payloads in browser mode, end to end over real HTTP: the renderer's client sends a pixel patch as an
// octet-stream body (never base64 JSON), the server hands the request core a real Uint16Array, and a raster in
// the result comes back as a Uint16Array too. JSON channels stay JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventBus } from '../../../src-main/ipc/event-bus';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { createHttpApi } from '../../../src-renderer/api/http-client';

let server: RunningServer;
const seen: { channel: unknown; payload: unknown }[] = [];
const contentTypes: string[] = [];

beforeAll(async () => {
  server = await startServer({
    rendererDir: '/nonexistent', events: new EventBus(), mediaFile: async () => null,
    handleRequest: async (channel, payload) => {
      seen.push({ channel, payload });
      if (channel === 'project:raster') {
        return { ok: true, value: { videoId: 'v1', frame: 0, revision: 2, raster: { width: 3, height: 1, data: new Uint16Array([0, 7, 65535]) } } };
      }
      return { ok: true, value: { revision: 1 } };
    },
  });
});
afterAll(async () => server?.close());

function api() {
  const recordingFetch: typeof fetch = async (url, init) => {
    contentTypes.push(String((init?.headers as Record<string, string>)['content-type']));
    return fetch(url, init);
  };
  return createHttpApi({ origin: `http://127.0.0.1:${server.port}`, token: server.token, fetch: recordingFetch, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
}

describe('binary payloads in browser mode', () => {
  it('sends pixel patches as octet-stream and the server sees a Uint16Array', async () => {
    const after = new Uint16Array([5, 6, 7, 8]);
    const result = await api().invoke('project:edit', {
      edits: [{ op: 'pixels', videoId: 'v1', frame: 0, rect: { x: 0, y: 0, w: 2, h: 2 }, after }],
    });
    expect(result).toEqual({ ok: true, value: { revision: 1 } });
    expect(contentTypes.at(-1)).toBe('application/octet-stream');
    const edit = (seen.at(-1)!.payload as { edits: { after: unknown }[] }).edits[0]!;
    expect(edit.after).toBeInstanceOf(Uint16Array);
    expect([...(edit.after as Uint16Array)]).toEqual([5, 6, 7, 8]);
  });

  it('returns a raster as a Uint16Array, and JSON requests stay JSON', async () => {
    const result = await api().invoke('project:raster', { videoId: 'v1', frame: 0 });
    expect(contentTypes.at(-1)).toBe('application/json');
    expect(result.ok).toBe(true);
    const data = result.ok ? result.value.raster.data : null;
    expect(data).toBeInstanceOf(Uint16Array);
    expect([...data!]).toEqual([0, 7, 65535]);
  });

  it('refuses a broken binary body with bad-input before the core runs', async () => {
    const before = seen.length;
    const response = await fetch(`http://127.0.0.1:${server.port}/api/project:edit`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-avs-token': server.token }, body: new Uint8Array([1, 0, 0]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('binary message') } });
    expect(seen.length).toBe(before);
  });
});
