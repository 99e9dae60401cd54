// Browser mode on the real app core: token and Host checks, an API round trip, an event over the WebSocket,
// media of an opened video, and path traversal refused (media and static files).
import { request } from 'node:http';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import type { VideoInfo } from '../../../src-main/shared/ipc-contract';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const tmp = makeTempDir();
let core: AppCore;
let server: RunningServer;
let video: VideoInfo;

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (channel: string, payload: unknown, headers: Record<string, string> = { 'x-avs-token': server.token }) =>
  send(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });

beforeAll(async () => {
  const renderer = join(tmp.dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'secret');
  core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(join(tmp.dir, 'out')), workParent: tmp.dir });
  server = await startServer({ rendererDir: renderer, handleRequest: core.handleRequest, events: core.events, mediaFile: core.mediaFile });
  video = await core.openVideo(makeVideo(join(tmp.dir, 'clip.mp4'), { seconds: 3 }));
});

afterAll(async () => {
  await server?.close();
  await core?.dispose();
  tmp.cleanup();
});

describe('browser-mode server', () => {
  it('listens on loopback and serves the page only with the token, with a strict CSP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect((await send('/')).status).toBe(403);
    expect((await send('/?token=wrong')).status).toBe(403);
    const page = await send(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    // The page's own assets load with the cookie the page set.
    const asset = await send('/assets/app.js', { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('refuses a non-loopback Host header even with the token (DNS rebinding)', async () => {
    const res = await send(`/?token=${server.token}`, { headers: { host: `evil.example:${server.port}` } });
    expect(res.status).toBe(403);
    const apiRes = await api('video:list', {}, { 'x-avs-token': server.token, host: 'attacker.test' });
    expect(apiRes.status).toBe(403);
  });

  it('answers API requests with Result JSON, token in the header only', async () => {
    const ok = await api('video:list', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [video] });
    expect((await api('video:list', {}, {})).status).toBe(403);
    expect((await send(`/api/video:list?token=${server.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    const bad = JSON.parse((await api('prelabel:start', { videoId: video.videoId, device: 'tpu' })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const unknown = JSON.parse((await api('fs:read', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('delivers events over the WebSocket, and refuses one without the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const message = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    core.events.log('info', 'hello from main');
    expect(JSON.parse(await message)).toEqual({ channel: 'log', payload: { level: 'info', message: 'hello from main' } });
    ws.close();
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/events`);
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('error', () => resolve(-1)));
    expect([403, -1]).toContain(status);
  });

  it('serves media of opened videos (with ranges) and nothing else', async () => {
    const q = `?token=${server.token}`;
    const frame = await send(`/media/${video.videoId}/frame/0.jpg${q}`);
    expect(frame.status).toBe(200);
    expect(frame.headers['content-type']).toBe('image/jpeg');
    const audio = await send(`/media/${video.videoId}/audio.wav${q}`, { headers: { range: 'bytes=0-43' } });
    expect(audio.status).toBe(206);
    expect(audio.body.slice(0, 4)).toBe('RIFF');
    // The opened file itself, for <video>: ranges answered 206 with the file's bytes (an mp4 starts with ftyp).
    const clip = await send(`/media/${video.videoId}/video${q}`, { headers: { range: 'bytes=4-7' } });
    expect(clip.status).toBe(206);
    expect(clip.headers['content-type']).toBe('video/mp4');
    expect(clip.body).toBe('ftyp');
    expect((await send(`/media/${video.videoId}/video/x${q}`)).status).toBe(404);
    expect((await send(`/media/${video.videoId}/frame/0.jpg`)).status).toBe(403);
    for (const path of [
      `/media/${video.videoId}/frame/99.jpg`, '/media/vdeadbeef/frame/0.jpg', `/media/${video.videoId}/../secret.txt`,
      `/media/..%2F..%2Fsecret.txt`, `/media/${video.videoId}%2F..%2F..%2Fsecret.txt`, `/media/${video.videoId}/frame/0.png`,
      `/media/${encodeURIComponent(join(tmp.dir, 'secret.txt'))}`,
    ]) {
      expect((await send(`${path}${q}`)).status, path).toBe(404);
    }
    for (const path of ['/..%2Fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2F..%2Fsecret.txt']) {
      const res = await send(`${path}${q}`);
      expect(res.body, path).not.toContain('secret');
    }
  });
});
