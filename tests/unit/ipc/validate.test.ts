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
  'export:avss': { videoId: 'v0123abcd', split: 'train' },
  'project:open': { path: '/projects/birds' },
  'project:create': { path: '/projects/new', name: 'Birds' },
  'project:close': {},
  'project:save-as': { path: '/projects/copy' },
  'project:recent': {},
  'project:forget-recent': { path: '/projects/gone' },
  'project:state': {},
  'project:raster': { videoId: 'v0123abcd', frame: 4 },
  'project:edit': {
    edits: [
      { op: 'pixels', videoId: 'v1', frame: 0, rect: { x: 1, y: 2, w: 2, h: 1 }, after: new Uint16Array([3, 0]) },
      { op: 'object:update', videoId: 'v1', objectId: 3, changes: { sounding: [true, false], locked: true } },
      { op: 'frame:review', videoId: 'v1', frame: 0, review: 'approved' },
    ],
  },
  'project:flush': {},
  'project:relink': { videoId: 'v0123abcd', path: '/moved/clip.mp4' },
  'masks:import': { videoId: 'v0123abcd', path: '/labels/clip' },
  'export:preview': { format: 'coco', split: { kind: 'ratio', train: 0.8, val: 0.1, test: 0.1, seed: 123 } },
  'export:dataset': { format: 'avss', label: 'v1s', split: { kind: 'per-video', splits: { v0123abcd: 'val' }, fallback: 'train' }, videoIds: ['v0123abcd'] },
  'assist:info': {},
  'assist:embed': { videoId: 'v1', frames: [3, 4], background: true },
  'assist:click': {
    videoId: 'v1', frame: 2, points: [{ x: 10.5, y: 4, positive: true }], box: { x0: 1, y0: 1, x1: 20, y1: 9 },
    previous: { width: 2, height: 2, counts: new Uint32Array([1, 2, 1]) }, refine: false,
  },
  'assist:propagate': { videoId: 'v1', mask: { width: 2, height: 1, counts: new Uint32Array([0, 2]) }, targets: [3, 4, 5] },
  'assist:listen': { videoId: 'v1', frame: 3, device: 'cpu' },
  'assist:rerun': { videoId: 'v1', frame: 12, device: 'auto' },
  'audio:view': { videoId: 'v1', startSec: 0, endSec: 30.5, columns: 600 },
  'audio:levels': { videoId: 'v1' },
};

const PIXELS = { op: 'pixels', videoId: 'v1', frame: 0, rect: { x: 0, y: 0, w: 1, h: 1 } };
const BAD: [RequestChannel, unknown, string][] = [
  ['app:info', null, 'payload must be an object'],
  ['app:info', [], 'payload must be an object'],
  ['video:list', { extra: 1 }, 'extra: Invalid key'],
  ['video:open', { path: 42 }, 'path: must be a file path'],
  ['video:open', { path: '' }, 'path: must be a file path'],
  ['video:open', { path: 'a\0b' }, 'path: must be a file path'],
  ['model:open', { path: 'x'.repeat(5000) }, 'path: must be a file path'],
  ['prelabel:start', { videoId: 'v1' }, 'device: Invalid key'],
  ['prelabel:start', { videoId: 'v1', device: 'tpu' }, 'device: Invalid type'],
  ['prelabel:start', { videoId: '../etc', device: 'cpu' }, 'videoId: must be an id'],
  ['prelabel:start', { videoId: 'a/b', device: 'cpu' }, 'videoId: must be an id'],
  ['prelabel:cancel', { jobId: 7 }, 'jobId: Invalid type'],
  ['prelabel:result', { videoId: 'x'.repeat(65) }, 'videoId: must be an id'],
  ['export:avss', { videoId: 'v1', split: 'holdout' }, 'split: Invalid type'],
  // The export folder is main's choice: a path from the renderer is refused outright.
  ['export:avss', { videoId: 'v1', split: 'val', outDir: '/etc' }, 'outDir: Invalid key'],
  ['export:dataset', { format: 'avss', split: { kind: 'all', split: 'val' }, outDir: 'a\0b' }, 'outDir: must be a file path'],
  ['export:preview', { format: 'avss', split: { kind: 'all', split: 'val' }, outDir: '/etc' }, 'outDir: Invalid key'],
  ['export:dataset', { format: 'mp4', split: { kind: 'all', split: 'val' } }, 'format: Invalid type'],
  ['export:preview', { format: 'avss', split: { kind: 'ratio', train: 2, val: 0, test: 0, seed: 1 } }, 'split.train: Invalid value'],
  ['export:preview', { format: 'avss', split: { kind: 'all', split: 'val' }, videoIds: ['../x'] }, 'videoIds[0]: must be an id'],
  ['export:preview', { format: 'avss', split: { kind: 'per-video', splits: { '../x': 'val' }, fallback: 'val' } }, 'must be an id'],
  ['project:raster', { videoId: 'v1', frame: -1 }, 'frame: Invalid value'],
  ['project:raster', { videoId: 'v1', frame: 1.5 }, 'frame: Invalid integer'],
  ['project:edit', { edits: [] }, 'edits: Invalid length'],
  // Pixel patches are binary: a JSON array (or base64 text) is refused, so nothing slow slips through.
  ['project:edit', { edits: [{ ...PIXELS, after: [1] }] }, 'edits[0].after: Invalid type: Expected Uint16Array'],
  ['project:edit', { edits: [{ ...PIXELS, after: 'AQA=' }] }, 'edits[0].after: Invalid type: Expected Uint16Array'],
  ['project:edit', { edits: [{ ...PIXELS, rect: { x: 0, y: 0, w: 0, h: 1 }, after: new Uint16Array(0) }] }, 'edits[0].rect.w'],
  ['project:edit', { edits: [{ op: 'object:update', videoId: 'v1', objectId: 3, changes: { id: 9 } }] }, 'edits[0].changes.id: Invalid key'],
  ['project:edit', { edits: [{ op: 'rm -rf', videoId: 'v1' }] }, 'edits[0].op'],
  ['project:edit', { edits: Array.from({ length: 1001 }, () => ({ op: 'frame:review', videoId: 'v1', frame: 0, review: 'edited' })) }, 'edits: Invalid length'],
  ['project:create', { name: 'x'.repeat(201) }, 'name: Invalid length'],
  ['project:relink', { path: '/x' }, 'videoId: Invalid key'],
  ['masks:import', { videoId: 'v1', path: 'a\u0000b' }, 'path: must be a file path'],
  ['project:save-as', { path: '' }, 'path: must be a file path'],
  ['project:save-as', { path: 'a\0b' }, 'path: must be a file path'],
  ['project:save-as', { path: 7 }, 'path: must be a file path'],
  ['project:save-as', { path: '/x', name: 'copy' }, 'name: Invalid key'],
  ['project:forget-recent', {}, 'path: Invalid key'],
  ['project:forget-recent', { path: 'x'.repeat(5000) }, 'path: must be a file path'],
  ['assist:click', { videoId: 'v1', frame: 0, points: [{ x: Number.NaN, y: 0, positive: true }] }, 'points[0].x'],
  ['assist:click', { videoId: 'v1', frame: 0, points: [], previous: { width: 2, height: 2, counts: new Uint32Array([1, 2]) } }, 'mask runs must cover the mask exactly'],
  ['assist:click', { videoId: 'v1', frame: 0, points: [], previous: { width: 2, height: 2, counts: [0, 4] } }, 'previous.counts: Invalid type'],
  ['assist:propagate', { videoId: 'v1', mask: { width: 1, height: 1, counts: new Uint32Array([1]) }, targets: [] }, 'targets: Invalid length'],
  ['assist:embed', { videoId: 'v1', frames: Array.from({ length: 17 }, (_, i) => i) }, 'frames: Invalid length'],
  ['audio:view', { videoId: 'v1', startSec: -1, endSec: 2, columns: 10 }, 'startSec: Invalid value'],
  ['audio:view', { videoId: 'v1', startSec: 0, endSec: 2, columns: 9000 }, 'columns: Invalid value'],
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
