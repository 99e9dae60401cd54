/**
 * Fuzz of every IPC channel validator and every browser-mode route, against the real app core and server:
 * random and malformed payloads, wrong types, huge bodies, path traversal (plain, encoded, double-encoded),
 * symbolic links out of the UI folder, FIFOs, wrong token, wrong Host/Origin, 200 concurrent requests.
 * Asserted: nothing throws or crashes, every refusal is a clean 4xx (no 5xx ever), no byte of a file outside
 * what was opened is served, and nothing is written outside the work folder and the export folder.
 * Seeded, so a failure reproduces.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import { validateRequest } from '../../../src-main/ipc/validate';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { REQUEST_CHANNELS, type RequestChannel, type VideoInfo } from '../../../src-main/shared/ipc-contract';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const tmp = makeTempDir('avs-fuzz-');
const SECRET = 'TOP-SECRET-7f3a9c';
let core: AppCore;
let server: RunningServer;
let video: VideoInfo;
let fifo = '';

interface Reply { status: number; body: string }

function send(path: string, o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve({ status: -1, body: '' }) : reject(err)));
    req.end(o.body);
  });
}
const api = (channel: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> =>
  send(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-avs-token': server.token, ...headers }, body });

/** mulberry32: small, seeded, good enough to drive a fuzzer. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['path', 'videoId', 'jobId', 'device', 'split', 'frame', 'frames', 'edits', 'name', 'points', 'mask', 'targets', 'startSec', 'columns', 'outDir', '__proto__', 'constructor', 'x'];
const STRINGS = (): string[] => [
  '', 'v0123abcd', '../../etc/passwd', '..%2f..%2fsecret.txt', '%2e%2e', 'a\u0000b', '\u202e\ud83d', 'cpu', 'auto', 'train',
  'AA==', 'iVBORw0KGgo=', 'x'.repeat(5000), join(tmp.dir, 'secret.txt'), fifo, tmp.dir, '/proc/self/mem', '/dev/zero', video.videoId,
];

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 6 : 9));
  const strings = STRINGS();
  switch (pick) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return [0, -1, 1.5, 1e308, -0, 2 ** 53, 1e7 + 1, 3][Math.floor(r() * 8)];
    case 3: case 4: case 5: return strings[Math.floor(r() * strings.length)];
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) o[FIELDS[Math.floor(r() * FIELDS.length)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** A well-formed payload per channel, mutated by the fuzzer one field at a time. */
const VALID = (): Record<RequestChannel, Record<string, unknown>> => ({
  'app:info': {}, 'video:list': {}, 'model:info': {}, 'video:open': { path: join(tmp.dir, 'clip.mp4') }, 'model:open': { path: fifo },
  'prelabel:start': { videoId: video.videoId, device: 'cpu' }, 'prelabel:cancel': { jobId: 'j0' },
  'prelabel:result': { videoId: video.videoId }, 'export:avss': { videoId: video.videoId, split: 'train' },
  'project:open': { path: join(tmp.dir, 'secret.txt') }, 'project:create': { path: join(tmp.dir, 'proj'), name: 'p' },
  'project:close': {}, 'project:save-as': { path: join(tmp.dir, 'proj-copy') }, 'project:recent': {},
  'project:forget-recent': { path: join(tmp.dir, 'proj') }, 'project:state': {}, 'project:raster': { videoId: video.videoId, frame: 0 },
  'project:edit': { edits: [{ op: 'frame:review', videoId: video.videoId, frame: 0, review: 'approved' }] }, 'project:flush': {},
  'project:relink': { videoId: video.videoId, path: join(tmp.dir, 'clip.mp4') },
  // A folder holding a secret that is no mask: refused naming the file, never read out, nothing written.
  'masks:import': { videoId: video.videoId, path: join(tmp.dir, 'outside') },
  // Click-to-mask: an unknown video and an absurd frame, so no mutation (one field at a time) runs a real SAM pass.
  'assist:info': {}, 'assist:embed': { videoId: 'vdeadbeef', frames: [9_999_999] },
  'assist:click': { videoId: 'vdeadbeef', frame: 9_999_999, points: [{ x: 1, y: 1, positive: true }] },
  'assist:propagate': { videoId: 'vdeadbeef', mask: { width: 1, height: 1, counts: [0, 1] }, targets: [9_999_999] },
  'assist:listen': { videoId: 'vdeadbeef', frame: 9_999_999, device: 'cpu' },
  'assist:rerun': { videoId: 'vdeadbeef', frame: 9_999_999, device: 'cpu' },
  // Exports name an unknown video, so a mutated folder is refused before anything is written.
  'export:preview': { format: 'avss', split: { kind: 'all', split: 'val' }, videoIds: ['vdeadbeef'] },
  'export:dataset': { format: 'avss', split: { kind: 'all', split: 'val' }, videoIds: ['vdeadbeef'] },
  'audio:view': { videoId: video.videoId, startSec: 0, endSec: 1, columns: 16 }, 'audio:levels': { videoId: video.videoId },
});

function mutate(r: () => number, valid: Record<string, unknown>): unknown {
  const o: Record<string, unknown> = { ...valid };
  const keys = Object.keys(o);
  const op = Math.floor(r() * 4);
  if (op === 0 && keys.length) o[keys[Math.floor(r() * keys.length)]!] = randomValue(r);
  else if (op === 1) o[FIELDS[Math.floor(r() * FIELDS.length)]!] = randomValue(r);
  else if (op === 2 && keys.length) delete o[keys[Math.floor(r() * keys.length)]!];
  else return randomValue(r);
  return o;
}

/** Every file under `dir` (relative), for the nothing-written-outside check. */
function tree(dir: string, skip: string[]): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (skip.some((s) => full.startsWith(s))) continue;
    out.push(relative(tmp.dir, full));
    if (e.isDirectory() && !e.isSymbolicLink()) out.push(...tree(full, skip));
  }
  return out.sort();
}

let before: string[] = [];
const outDir = join(tmp.dir, 'out');
/**
 * Where the app may write: its media cache and settings (workParent = tmp.dir), the export folder, and the folders
 * a request names itself (project:create and project:save-as make a project where told: a typed path is the user's choice).
 * Relative paths resolve against the cwd, a sandbox here, so the fuzzer cannot drop folders into the repo.
 */
const sandbox = join(tmp.dir, 'cwd');
const allowed = (): string[] => [
  ...readdirSync(tmp.dir).filter((n) => n.startsWith('avs-annotator-') || n === 'avs-data').map((n) => join(tmp.dir, n)),
  outDir, sandbox, join(tmp.dir, 'proj'), join(tmp.dir, 'proj-copy'), join(tmp.dir, 'fifo-project'), // the last one: made by the FIFO test itself
];
const previousCwd = process.cwd();

beforeAll(async () => {
  const renderer = join(tmp.dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp.dir, 'secret.txt'), SECRET);
  mkdirSync(join(tmp.dir, 'outside'));
  writeFileSync(join(tmp.dir, 'outside', 'leak.js'), SECRET);
  symlinkSync(join(tmp.dir, 'secret.txt'), join(renderer, 'assets', 'link.js'));
  symlinkSync(join(tmp.dir, 'outside'), join(renderer, 'assets', 'dir'));
  fifo = join(tmp.dir, 'pipe.mp4');
  execFileSync('mkfifo', [fifo]);
  core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(outDir), workParent: tmp.dir });
  server = await startServer({ rendererDir: renderer, handleRequest: core.handleRequest, events: core.events, mediaFile: core.mediaFile });
  video = await core.openVideo(makeVideo(join(tmp.dir, 'clip.mp4'), { seconds: 2, width: 64, height: 48 }));
  mkdirSync(sandbox);
  process.chdir(sandbox);
  before = tree(tmp.dir, allowed());
}, 60_000);

afterAll(async () => {
  process.chdir(previousCwd);
  await server?.close();
  await core?.dispose();
  tmp.cleanup();
});

describe('IPC validators under fuzz', () => {
  it('never throw, and answer one line for every refusal (1500 payloads per channel)', () => {
    const r = rng(15);
    const valid = VALID();
    for (const channel of REQUEST_CHANNELS) {
      for (let i = 0; i < 1500; i++) {
        const payload = i % 2 ? mutate(r, valid[channel]) : randomValue(r);
        const checked = validateRequest(channel, payload);
        // Only export:dataset takes a folder (typed by the user in browser mode; refused in Electron by its handler).
        const refusedKeys = channel === 'export:dataset' ? ['__proto__', 'constructor', 'x'] : ['__proto__', 'constructor', 'outDir', 'x'];
        if (!checked.ok) expect(checked.message, JSON.stringify(payload)).toMatch(new RegExp(`^${channel}: [^\\n]+$`));
        else expect(Object.keys(checked.payload as object).filter((k) => refusedKeys.includes(k)), channel).toEqual([]);
      }
    }
  });
});

describe('browser-mode routes under fuzz', () => {
  it('every channel over HTTP: clean 4xx or a Result, never a 5xx, never a leaked byte', async () => {
    const r = rng(12);
    const valid = VALID();
    const jobs: Promise<void>[] = [];
    for (const channel of REQUEST_CHANNELS) {
      for (let i = 0; i < 25; i++) {
        const payload = i === 0 ? valid[channel] : mutate(r, valid[channel]);
        jobs.push(api(channel, JSON.stringify(payload) ?? 'null').then((res) => {
          expect(res.status, `${channel} ${JSON.stringify(payload)}: ${res.body}`).toBeLessThan(500);
          expect(res.body).not.toContain(SECRET);
          const body = JSON.parse(res.body) as { ok: boolean; error?: { message: string } };
          if (!body.ok) expect(body.error!.message).not.toMatch(/\n/);
        }));
      }
    }
    await Promise.all(jobs);
    // A prelabel:start that got through runs without a model: it fails cleanly as an event, nothing else.
  }, 30_000);

  it('malformed bodies, types, methods and escapes: clean 4xx', async () => {
    const cases: [string, Promise<Reply>, number][] = [
      ['not JSON', api('video:list', '{"a":'), 400],
      ['deep nesting', api('video:list', '['.repeat(100_000) + ']'.repeat(100_000)), 400],
      ['a number', api('video:list', '42'), 400],
      ['unknown channel', api('fs:read', '{}'), 400],
      ['encoded channel', api('video%3Alist%00', '{}'), 400],
      ['malformed escape in the API', api('%E0%A4%A', '{}'), 400],
      ['malformed escape', send(`/%E0%A4%A?token=${server.token}`), 400],
      ['lone percent', send(`/assets/%?token=${server.token}`), 400],
      ['form post', send('/api/video:list', { method: 'POST', headers: { 'x-avs-token': server.token, 'content-type': 'text/plain' }, body: '{}' }), 415],
      ['GET on the API', send('/api/video:list', { headers: { 'x-avs-token': server.token } }), 405],
      ['PUT on a page', send(`/?token=${server.token}`, { method: 'PUT' }), 405],
      ['random bytes as a binary message', send('/api/project:edit', { method: 'POST', headers: { 'x-avs-token': server.token, 'content-type': 'application/octet-stream' }, body: Buffer.from([255, 255, 255, 127, 1, 2, 3]) }), 400],
      ['a binary header that lies', send('/api/project:edit', { method: 'POST', headers: { 'x-avs-token': server.token, 'content-type': 'application/octet-stream' }, body: Buffer.concat([Buffer.from([9, 0, 0, 0]), Buffer.from('{"blobs":')]) }), 400],
      ['unknown video', api('export:avss', JSON.stringify({ videoId: 'vdeadbeef', split: 'train' })), 404],
    ];
    for (const [name, reply, status] of cases) expect((await reply).status, name).toBe(status);
  });

  it('a huge body is refused with 413 without being read, and the server goes on', async () => {
    const rss = process.memoryUsage().rss;
    const huge = await api('project:edit', Buffer.alloc(8 << 20, 0x61));
    expect([413, -1]).toContain(huge.status); // -1: the server closed the socket while the body was still coming
    const claimed = await send('/api/video:list', { method: 'POST', headers: { 'content-type': 'application/json', 'x-avs-token': server.token, 'content-length': String(1 << 30) }, body: '' });
    expect([413, -1]).toContain(claimed.status);
    const binary = await send('/api/project:edit', { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-avs-token': server.token, 'content-length': String(1 << 30) }, body: '' });
    expect([413, -1]).toContain(binary.status);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 << 20);
    expect((await api('video:list', '{}')).status).toBe(200);
  }, 30_000);

  it('traversal, encoded dots and symbolic links never leave the UI or media folders', async () => {
    const q = `?token=${server.token}`;
    const paths = [
      '/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/%252e%252e/secret.txt',
      '/assets/..%2F..%2Fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%5c..%5csecret.txt', '/assets/link.js',
      '/assets/dir/leak.js', '/assets/./dir/../link.js', `/${encodeURIComponent(join(tmp.dir, 'secret.txt'))}`, '/assets/app.js%00.html',
      `/media/${video.videoId}/../../secret.txt`, `/media/..%2F..%2Fsecret.txt`, `/media/${video.videoId}%2F..%2F..%2Fsecret.txt`,
      `/media/${video.videoId}/frame/99999999.jpg`, `/media/${video.videoId}/frame/-1.jpg`, `/media/${encodeURIComponent(join(tmp.dir, 'secret.txt'))}`,
      '//127.0.0.1/secret.txt', '/assets//etc/passwd',
    ];
    for (const path of paths) {
      const res = await send(`${path}${q}`);
      expect(res.body, path).not.toContain(SECRET);
      expect([400, 404], `${path}: ${res.status}`).toContain(res.status);
    }
    expect((await send(`/assets/app.js${q}`)).status).toBe(200);
  });

  it('wrong token, wrong Host, wrong Origin: 403 on every route', async () => {
    for (const path of ['/', '/?token=0', '/assets/app.js', `/media/${video.videoId}/frame/0.jpg`]) expect((await send(path)).status, path).toBe(403);
    expect((await api('video:list', '{}', { 'x-avs-token': 'f'.repeat(64) })).status).toBe(403);
    expect((await api('video:list', '{}', { 'x-avs-token': server.token.slice(0, 63) })).status).toBe(403);
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil:${server.port}`, `127.0.0.1.nip.io:${server.port}`]) {
      expect((await api('video:list', '{}', { host })).status, host).toBe(403);
    }
    const origins = ['http://evil.example', `http://127.0.0.1.evil:${server.port}`, 'null'];
    for (const origin of origins) {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`, { origin });
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)).once('error', () => resolve(-1)).once('open', () => resolve(101)));
      expect([403, -1], origin).toContain(status);
    }
    // A good socket survives garbage from the page.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    for (const junk of ['{', 'x'.repeat(60_000), Buffer.alloc(10, 0xff)]) ws.send(junk);
    const got = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    core.events.log('info', 'still here');
    expect(await got).toContain('still here');
    ws.close();
  });

  it('FIFOs given as video or model answer at once and never block the server', async () => {
    const opens = Array.from({ length: 8 }, (_, i) => api(i % 2 ? 'model:open' : 'video:open', JSON.stringify({ path: fifo })));
    // A project folder whose project.json is a FIFO, and a relink to a FIFO: refused too, never read.
    const fifoProject = join(tmp.dir, 'fifo-project');
    mkdirSync(fifoProject);
    execFileSync('mkfifo', [join(fifoProject, 'project.json')]);
    const others = [api('project:open', JSON.stringify({ path: fifoProject })), api('project:relink', JSON.stringify({ videoId: video.videoId, path: fifo }))];
    const list = await api('video:list', '{}');
    expect(list.status).toBe(200);
    for (const res of await Promise.all(opens)) {
      expect(res.status).toBe(200); // a Result with the error: the request itself was well-formed
      expect(JSON.parse(res.body).error.message).toMatch(/pipe\.mp4: is a named pipe \(FIFO\), not a (video|model) file/);
    }
    for (const res of await Promise.all(others)) {
      expect(res.status).toBeLessThan(500);
      expect((JSON.parse(res.body) as { ok: boolean }).ok).toBe(false);
    }
  });

  it('200 concurrent requests of every kind: all answered, none 5xx', async () => {
    const r = rng(200);
    const q = `?token=${server.token}`;
    const kinds = [
      () => api('video:list', '{}'), () => api('app:info', '{}'), () => api('prelabel:result', JSON.stringify({ videoId: video.videoId })),
      () => send(`/media/${video.videoId}/frame/${Math.floor(r() * 3)}.jpg${q}`), () => send(`/media/${video.videoId}/audio.wav${q}`, { headers: { range: 'bytes=0-99' } }),
      () => send(`/assets/app.js${q}`), () => send(`/%2e%2e/secret.txt${q}`), () => api('project:edit', JSON.stringify(randomValue(r))), () => send('/'),
    ];
    const replies = await Promise.all(Array.from({ length: 200 }, () => kinds[Math.floor(r() * kinds.length)]!()));
    expect(replies.every((x) => x.status >= 200 && x.status < 500)).toBe(true);
    expect(replies.some((x) => x.status === 200)).toBe(true);
  }, 30_000);

  it('wrote nothing outside the work folder and the export folder', () => {
    expect(tree(tmp.dir, allowed())).toEqual(before);
    expect(statSync(join(tmp.dir, 'secret.txt')).size).toBe(SECRET.length);
  });
});
