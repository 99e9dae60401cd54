// The Electron media handler's responses (rangeResponse): ranges answered 206 with exactly the asked bytes, a
// bad range 416, a missing file 404. Runs without Electron: the handler only wraps this function.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { rangeResponse } from '../../../src-main/server/range-response';

it('serves byte ranges of a video file as 206, whole files as 200, bad ranges as 416', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'avs-range-'));
  const file = path.join(dir, 'clip.mp4');
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  await fs.writeFile(file, bytes);
  const part = await rangeResponse(file, 'bytes=100-199');
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
  expect(part.headers.get('content-type')).toBe('video/mp4');
  expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
  const tail = await rangeResponse(file, 'bytes=-10');
  expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(990));
  const open = await rangeResponse(file, 'bytes=900-');
  expect(open.headers.get('content-length')).toBe('100');
  await open.arrayBuffer();
  const whole = await rangeResponse(file, null);
  expect(whole.status).toBe(200);
  expect(whole.headers.get('accept-ranges')).toBe('bytes');
  expect((await whole.arrayBuffer()).byteLength).toBe(1000);
  expect((await rangeResponse(file, 'bytes=2000-')).status).toBe(416);
  expect((await rangeResponse(path.join(dir, 'missing.mp4'), null)).status).toBe(404);
  await fs.rm(dir, { recursive: true });
});
