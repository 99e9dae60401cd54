/**
 * File responses for browser mode: the built renderer (confined to its folder) and media files (resolved by the
 * project store from a parsed mediaPath, never from a raw URL path). Range requests are honoured because
 * Chromium's <audio> seeks with them.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, relative, isAbsolute, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.wav': 'audio/wav', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
  '.map': 'application/json', '.wasm': 'application/wasm',
  // Opened videos, played by <video> with range requests.
  '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.mkv': 'video/x-matroska',
  '.ogv': 'video/ogg', '.avi': 'video/x-msvideo',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Maps a URL path into `root`, or null when it escapes it (`..`, encoded separators, absolute paths). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = normalize(decoded.replace(/^\/+/, ''));
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  const file = join(root, rel === '.' ? 'index.html' : rel);
  const back = relative(root, file);
  return back.startsWith('..') || isAbsolute(back) || back.split(sep).includes('..') ? null : file;
}

/**
 * resolveInside, then the real path (every symbolic link resolved) must still lie inside the real `root`: a link
 * in the UI folder pointing elsewhere is never followed. Null when it escapes or does not exist.
 */
export async function resolveRealInside(root: string, urlPath: string): Promise<string | null> {
  const file = resolveInside(root, urlPath);
  if (!file) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    const back = relative(realRoot, realFile);
    return back === '' || back.startsWith('..') || isAbsolute(back) ? null : realFile;
  } catch {
    return null;
  }
}

export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'invalid' : { start, end };
}

/** The size of a regular file; null when it is missing or not a regular file (both answer 404). */
export async function regularFileSize(file: string): Promise<number | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

/** Streams `file` (404 when missing or not a regular file). */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): Promise<void> {
  const size = await regularFileSize(file);
  if (size === null) {
    sendText(res, 404, 'not found', headers);
    return;
  }
  const range = parseRange(req.headers.range, size);
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` });
    res.end();
    return;
  }
  const base = { ...headers, 'content-type': contentType(file), 'accept-ranges': 'bytes' };
  if (range) {
    res.writeHead(206, { ...base, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) });
  } else {
    res.writeHead(200, { ...base, 'content-length': String(size) });
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file, range ?? {});
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(data);
}
