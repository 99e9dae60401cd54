// Every request channel's payload validator: good payloads pass unchanged, bad ones are refused with a message
// naming the channel and the field, before any service runs.
import { describe, expect, it } from 'vitest';
import { REQUEST_CHANNELS, type RequestChannel } from '../../../src-main/shared/ipc-contract';
import { createRequestHandler, type Handlers } from '../../../src-main/ipc/dispatch';
import { validateRequest } from '../../../src-main/ipc/validate';

const GOOD: { [C in RequestChannel]: unknown } = {
  'app:info': {},
  'video:open': { path: '/videos/clip.mp4' },
  'video:list': {},
  'model:info': {},
  'model:open': {},
  'prelabel:start': { videoId: 'v0123abcd', device: 'auto' },
  'prelabel:cancel': { jobId: 'j0123abcd' },
  'prelabel:result': { videoId: 'v0123abcd' },
  'mask:save': { videoId: 'v0123abcd', index: 3, pngBase64: 'iVBORw0KGgo=' },
  'export:avss': { videoId: 'v0123abcd', split: 'train', outDir: '/data/avss' },
  'export:preview': { format: 'coco', split: { kind: 'ratio', train: 0.8, val: 0.1, test: 0.1, seed: 123 } },
  'export:dataset': { format: 'avss', label: 'v1s', split: { kind: 'per-video', splits: { v0123abcd: 'val' }, fallback: 'train' }, videoIds: ['v0123abcd'] },
};

const BAD: [RequestChannel, unknown, string][] = [
  ['app:info', null, 'payload must be an object'],
  ['app:info', [], 'payload must be an object'],
  ['video:list', { extra: 1 }, 'unexpected field "extra"'],
  ['video:open', { path: 42 }, '"path" must be a file path'],
  ['video:open', { path: '' }, '"path" must be a file path'],
  ['video:open', { path: 'a\0b' }, '"path" must be a file path'],
  ['model:open', { path: 'x'.repeat(5000) }, '"path" must be a file path'],
  ['prelabel:start', { videoId: 'v1' }, 'missing field "device"'],
  ['prelabel:start', { videoId: 'v1', device: 'tpu' }, '"device" must be one of'],
  ['prelabel:start', { videoId: '../etc', device: 'cpu' }, '"videoId" must be an id'],
  ['prelabel:start', { videoId: 'a/b', device: 'cpu' }, '"videoId" must be an id'],
  ['prelabel:cancel', { jobId: 7 }, '"jobId" must be an id'],
  ['prelabel:result', { videoId: 'x'.repeat(65) }, '"videoId" must be an id'],
  ['mask:save', { videoId: 'v1', index: -1, pngBase64: 'AA==' }, '"index" must be a non-negative integer'],
  ['mask:save', { videoId: 'v1', index: 1.5, pngBase64: 'AA==' }, '"index" must be a non-negative integer'],
  ['mask:save', { videoId: 'v1', index: 0, pngBase64: 'not base64!' }, '"pngBase64" must be base64 PNG data'],
  ['mask:save', { videoId: 'v1', index: 0 }, 'missing field "pngBase64"'],
  ['export:avss', { videoId: 'v1', split: 'holdout' }, '"split" must be one of train, val, test'],
  ['export:avss', { videoId: 'v1', split: 'val', outDir: {} }, '"outDir" must be a file path'],
  ['export:dataset', { format: 'avss', split: { kind: 'all', split: 'val' }, outDir: '/etc' }, 'outDir'],
  ['export:dataset', { format: 'mp4', split: { kind: 'all', split: 'val' } }, 'format'],
  ['export:preview', { format: 'avss', split: { kind: 'ratio', train: 2, val: 0, test: 0, seed: 1 } }, 'train'],
  ['export:preview', { format: 'avss', split: { kind: 'all', split: 'val' }, videoIds: ['../x'] }, '"videoIds" must be ids'],
  ['export:preview', { format: 'avss', split: { kind: 'all', split: 'val' }, label: 'v3' }, 'label'],
];

describe('IPC payload validation', () => {
  it.each(REQUEST_CHANNELS.map((c) => [c]))('accepts a good %s payload', (channel) => {
    const result = validateRequest(channel, GOOD[channel]);
    expect(result).toEqual({ ok: true, payload: GOOD[channel] });
  });

  it.each(BAD)('refuses %s %j', (channel, payload, message) => {
    const result = validateRequest(channel, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.startsWith(`${channel}: `)).toBe(true);
      expect(result.message).toContain(message);
    }
  });

  it('the dispatcher refuses unknown channels and bad payloads without calling a handler', async () => {
    const called: string[] = [];
    const handlers = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, async () => {
      called.push(c);
      return null;
    }])) as unknown as Handlers;
    const handle = createRequestHandler(handlers);
    expect(await handle('fs:read', {})).toEqual({ ok: false, error: { code: 'bad-input', message: 'unknown channel fs:read' } });
    expect(await handle('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await handle('prelabel:start', { videoId: 'v1', device: 'tpu' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(called).toEqual([]);
    expect(await handle('video:list', {})).toEqual({ ok: true, value: null });
    expect(called).toEqual(['video:list']);
  });

  it('the dispatcher turns a thrown error into ApiError data', async () => {
    const handlers = { 'video:list': async () => { throw Object.assign(new Error('gone'), { code: 'ENOENT' }); } } as unknown as Handlers;
    const handle = createRequestHandler(handlers);
    expect(await handle('video:list', {})).toEqual({ ok: false, error: { code: 'not-found', message: 'gone' } });
  });
});
