/**
 * A fetch `Response` for a local media file that honours `Range` (206 + Content-Range, 416 when unsatisfiable),
 * for the Electron avs-app:// handler: Electron's net.fetch on file:// ignores Range and answers 200 with the
 * whole file, so a <video> of a long file could not seek (electron/electron#38749). Browser mode's
 * sendFile (files.ts) does the same over node:http with the same parseRange.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { contentType, parseRange, regularFileSize } from './files';

export async function rangeResponse(file: string, rangeHeader: string | null, method = 'GET'): Promise<Response> {
  const size = await regularFileSize(file);
  if (size === null) return new Response('not found', { status: 404 });
  const range = parseRange(rangeHeader ?? undefined, size);
  if (range === 'invalid') return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
  const headers: Record<string, string> = { 'content-type': contentType(file), 'accept-ranges': 'bytes' };
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers['content-length'] = String(end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (method === 'HEAD' || size === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
