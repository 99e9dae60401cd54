/**
 * Browser mode: the renderer served on 127.0.0.1 with the same AvsApi as the Electron preload, so the real UI
 * runs in any Chromium where no Electron binary exists. Routes:
 *   GET  /?token=T            the built renderer's index.html (+ a SameSite cookie for its assets), strict CSP
 *   GET  /assets/...          renderer files (token via cookie or query)
 *   POST /api/{channel}       payload -> Result (token via `x-avs-token` header only). JSON both ways, except values
 *                             holding typed arrays (rasters, pixel patches): those travel as
 *                             `application/octet-stream` framed by shared/binary-message.ts, in either direction
 *   GET  /media/{mediaPath}   frames, thumbs, masks, audio of opened videos only
 *   WS   /events?token=T      EventMap messages as {channel, payload}
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HandleRequest } from '../ipc/dispatch';
import type { EventBus } from '../ipc/event-bus';
import type { ApiError } from '../shared/ipc-contract';
import {
  BINARY_CONTENT_TYPE, MAX_BINARY_MESSAGE_BYTES, decodeBinaryMessage, encodeBinaryMessage, hasBinary,
} from '../shared/binary-message';
import { contentSecurityPolicy, cspMetaContent, cspMetaOf, withCspMeta } from '../shared/csp';
import { resolveRealInside, sendFile, sendJson, sendText } from './files';
import { COMMON_HEADERS, isLoopbackHost, newToken, tokenCookie, tokenSource } from './security';

/** JSON bodies are small; binary ones (edit batches with pixel patches) are capped by the framing's limit. */
const MAX_JSON_BYTES = 1024 * 1024;

export interface ServerOptions {
  port?: number;
  /** Folder of the built renderer (dist/renderer); a short help page is served when it is missing. */
  rendererDir: string;
  handleRequest: HandleRequest;
  events: EventBus;
  /** Maps a mediaPath to a file of an opened video, or null (-> 404). */
  mediaFile: (mediaPath: string) => Promise<string | null>;
}

export interface RunningServer {
  /** Page URL including the token. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The body, or BodyTooLarge as soon as it passes `limit` (the rest is not buffered; the caller answers 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(new BodyTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !over) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLarge(limit));
      }
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A URL path decoded once, or null when an escape is malformed (`%E0%A4%A`, a lone `%`). */
function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** A request the server refuses as such (malformed payload, unknown channel or id) is a 4xx. */
const ERROR_STATUS: Partial<Record<ApiError['code'], number>> = { 'bad-input': 400, 'not-found': 404 };

const NO_RENDERER_PAGE = '<!doctype html><meta charset="utf-8"><title>AVS Annotator</title>'
  + '<p>The renderer is not built yet: run <code>npm run build:renderer</code> and reload.</p>';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = newToken();
  let port = options.port ?? 0;
  // THE policy (src-main/shared/csp.ts) in browser mode: the only extra is the events WebSocket on our port.
  const page = (): Record<string, string> => ({ ...COMMON_HEADERS, 'content-security-policy': contentSecurityPolicy('browser', { port }) });

  async function api(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return sendText(res, 405, 'POST only', COMMON_HEADERS);
    // JSON or our binary framing only: an HTML form can send neither, one more guard against cross-site posts.
    const type = String(req.headers['content-type'] ?? '');
    const binary = type.startsWith(BINARY_CONTENT_TYPE);
    if (!binary && !type.startsWith('application/json')) {
      return sendJson(res, 415, { ok: false, error: { code: 'bad-input', message: `content-type must be application/json or ${BINARY_CONTENT_TYPE}` } }, COMMON_HEADERS);
    }
    let payload: unknown;
    try {
      const body = await readBody(req, binary ? MAX_BINARY_MESSAGE_BYTES : MAX_JSON_BYTES);
      payload = binary ? decodeBinaryMessage(body) : body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        // Answer, then drop the connection: the rest of the body is never read.
        res.once('finish', () => req.destroy());
        return sendJson(res, 413, { ok: false, error: { code: 'bad-input', message: err.message } }, { ...COMMON_HEADERS, connection: 'close' });
      }
      return sendJson(res, 400, { ok: false, error: { code: 'bad-input', message: `invalid request body: ${(err as Error).message.slice(0, 200)}` } }, COMMON_HEADERS);
    }
    const result = await options.handleRequest(channel, payload);
    // The body is the Result either way (the client reads it); the status says what kind of failure it is.
    if (!result.ok) return sendJson(res, ERROR_STATUS[result.error.code] ?? 200, result, COMMON_HEADERS);
    if (!hasBinary(result)) return sendJson(res, 200, result, COMMON_HEADERS);
    const bytes = encodeBinaryMessage(result);
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': BINARY_CONTENT_TYPE, 'content-length': String(bytes.length), 'cache-control': 'no-store' });
    res.end(bytes);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackHost(req.headers.host, port)) return sendText(res, 403, 'forbidden host', COMMON_HEADERS);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return sendText(res, 400, 'malformed URL', COMMON_HEADERS);
    }
    const source = tokenSource(req, url, token, port);
    const isApi = url.pathname.startsWith('/api/');
    if (!source || (isApi && source !== 'header')) return sendText(res, 403, 'missing or wrong token', COMMON_HEADERS);
    if (decodedPath(url.pathname) === null) return sendText(res, 400, 'malformed URL escape', COMMON_HEADERS);
    if (isApi) return api(req, res, decodedPath(url.pathname.slice(5))!);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', COMMON_HEADERS);
    if (url.pathname.startsWith('/media/')) {
      const file = await options.mediaFile(url.pathname.slice('/media/'.length));
      if (!file) return sendText(res, 404, 'not found', COMMON_HEADERS);
      return sendFile(req, res, file, { ...COMMON_HEADERS, 'cache-control': 'no-cache' });
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    const headers = isPage ? { ...page(), 'set-cookie': tokenCookie(token, port), 'cache-control': 'no-store' } : page();
    if (isPage && !existsSync(join(options.rendererDir, 'index.html'))) {
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      res.end(NO_RENDERER_PAGE);
      return;
    }
    // Confined to the UI folder, symbolic links included (a link pointing out of it is not followed).
    const file = await resolveRealInside(options.rendererDir, url.pathname);
    if (!file) return sendText(res, 404, 'not found', COMMON_HEADERS);
    if (isPage) {
      // The built page's meta tag carries the Electron policy; here it must match this server's header (two
      // policies would both apply, and the stricter one would block our WebSocket).
      const raw = await readFile(file, 'utf8');
      const html = cspMetaOf(raw) === null ? raw : withCspMeta(raw, cspMetaContent('browser', { port }));
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    return sendFile(req, res, file, headers);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${(err as Error).message}`, COMMON_HEADERS);
      else res.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const originOk = origin === undefined || isLoopbackHost(origin.replace(/^https?:\/\//, ''), port);
    if (url.pathname !== '/events' || !isLoopbackHost(req.headers.host, port) || !originOk || !tokenSource(req, url, token, port)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });
  const unsubscribe = options.events.subscribe((channel, payload) => {
    const data = JSON.stringify({ channel, payload });
    for (const client of sockets.clients) if (client.readyState === 1) client.send(data);
  });
  sockets.on('connection', (ws: WebSocket) => {
    // Events flow one way; anything the page sends is ignored.
    ws.on('message', () => {});
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
