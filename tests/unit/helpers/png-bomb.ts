/** Hand-built PNGs for the decoder's limits: a valid header whose IDAT inflates to far more than it claims. */
import { createDeflate } from 'node:zlib';
import { encodePng } from '../../../src-main/dataset';

/** A grey PNG that says width x height but whose image data inflates to `inflatedBytes` (zeros). */
export async function pngBomb(width: number, height: number, inflatedBytes: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<void>((resolve) => deflate.on('end', () => resolve()));
  const block = Buffer.alloc(1 << 20);
  for (let written = 0; written < inflatedBytes; written += block.length) {
    if (!deflate.write(block)) await new Promise<void>((r) => deflate.once('drain', () => r()));
  }
  deflate.end();
  await done;
  return withIdat(encodePng(width, height, 1, new Uint8Array(width * height)), Buffer.concat(parts));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Replaces the IDAT chunk of a one-IDAT PNG (as encodePng writes) with `data`. */
export function withIdat(png: Buffer, data: Buffer): Buffer {
  const ihdrEnd = 8 + 12 + 13;
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('IDAT', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const iend = png.subarray(png.length - 12);
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, iend]);
}

/** A PNG header claiming `width` x `height` with a tiny (corrupt-for-that-size) body. */
export function pngClaiming(width: number, height: number): Buffer {
  const png = Buffer.from(encodePng(1, 1, 1, new Uint8Array(1)));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc(png.subarray(12, 29)), 29);
  return png;
}
