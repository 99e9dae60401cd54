/**
 * Minimal PNG codec on node:zlib, for masks: encodes 8-bit grey (class indices), RGB (palette colours) and 16-bit
 * grey (object-id rasters of projects, decoded only when the caller asks: datasets never hold 16-bit masks);
 * decodes the non-interlaced 8-bit-or-less formats mask files come in (grey, RGB, palette as indices, grey+alpha,
 * RGBA), so the validator can re-read our files and check datasets made by other tools. Palette images decode to
 * their indices (an AVSBench "P" mask keeps its class indices) with the palette alongside.
 */
import { promisify } from 'node:util';
import { deflate, deflateSync, inflateSync } from 'node:zlib';

export interface PngImage {
  width: number;
  height: number;
  /** 1 grey / palette index, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** Row-major, interleaved, 8 bits per sample. */
  data: Uint8Array;
  /** For palette images: RGB triples. */
  palette?: Uint8Array;
  colorType: number;
  /** 16-bit grey images only (decodePng(..., { allow16: true })): the samples; `data` then holds none. */
  samples16?: Uint16Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE((crc32(out.subarray(4, 8 + body.length)) ^ 0xffffffff) >>> 0, 8 + body.length);
  return out;
}

/**
 * Encodes 8-bit grey (channels 1) or RGB (channels 3). Filter "none" and deflate level 3: masks are flat, and
 * level 3 was 5x faster than 6 on a 1080p mask pair (12 vs 59 ms) for files that stay small (12 KB vs 8 KB grey).
 */
export function encodePng(width: number, height: number, channels: 1 | 3, data: Uint8Array): Buffer {
  if (data.length !== width * height * channels) {
    throw new RangeError(`PNG data has ${data.length} bytes, expected ${width}x${height}x${channels}`);
  }
  return encodeRows(width, height, channels === 1 ? 0 : 2, 8, width * channels, data);
}

const deflateAsync = promisify(deflate);

/**
 * Encodes 8-bit (Uint8Array) or 16-bit (Uint16Array) grey, deflating on libuv's thread pool: object-id rasters
 * of projects, compressed while the main thread keeps answering edits.
 */
export async function encodeGreyPngAsync(width: number, height: number, samples: Uint8Array | Uint16Array): Promise<Buffer> {
  if (samples.length !== width * height) throw new RangeError(`PNG data has ${samples.length} samples, expected ${width}x${height}`);
  if (samples instanceof Uint8Array) return assemble(width, height, 0, 8, await deflateAsync(filterNone(height, width, samples), { level: 3 }));
  // 16-bit samples are big-endian in PNG.
  const bytes = new Uint8Array(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    bytes[2 * i] = samples[i]! >> 8;
    bytes[2 * i + 1] = samples[i]! & 0xff;
  }
  return assemble(width, height, 0, 16, await deflateAsync(filterNone(height, width * 2, bytes), { level: 3 }));
}

function encodeRows(width: number, height: number, colorType: number, depth: number, stride: number, data: Uint8Array): Buffer {
  return assemble(width, height, colorType, depth, deflateSync(filterNone(height, stride, data), { level: 3 }));
}

/** Rows with filter type 0 (none) in front of each. */
function filterNone(height: number, stride: number, data: Uint8Array): Buffer {
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return raw;
}

function assemble(width: number, height: number, colorType: number, depth: number, idat: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Encodes an 8-bit palette PNG (colour type 3): what VOC, DAVIS and YouTube-VOS masks are, so readers that open
 * them in "P" mode get the indices and viewers show the colours. `palette` holds the colours of indices 0..n-1.
 */
export function encodePalettePng(width: number, height: number, indices: Uint8Array, palette: readonly (readonly [number, number, number])[]): Buffer {
  const grey = encodePng(width, height, 1, indices);
  const plte = new Uint8Array(palette.length * 3);
  palette.forEach((c, i) => plte.set(c, i * 3));
  // Same IDAT as the grey image; only the colour type and the PLTE chunk differ.
  const ihdr = Buffer.from(grey.subarray(16, 29));
  ihdr[9] = 3;
  const idatStart = 8 + 25;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), grey.subarray(idatStart)]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

const CHANNELS: Record<number, 1 | 2 | 3 | 4> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Undoes one row's filter (type byte at raw[src]); one tight loop per filter type, as this is the hot path. */
function unfilterRow(raw: Uint8Array, src: number, rows: Uint8Array, o: number, stride: number, bpp: number, hasUp: boolean): void {
  const filter = raw[src]!;
  const r = src + 1;
  const up = o - stride;
  if (filter === 0) {
    rows.set(raw.subarray(r, r + stride), o);
  } else if (filter === 1) {
    for (let x = 0; x < stride; x++) rows[o + x] = (raw[r + x]! + (x >= bpp ? rows[o + x - bpp]! : 0)) & 0xff;
  } else if (filter === 2) {
    for (let x = 0; x < stride; x++) rows[o + x] = (raw[r + x]! + (hasUp ? rows[up + x]! : 0)) & 0xff;
  } else if (filter === 3) {
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? rows[o + x - bpp]! : 0;
      const b = hasUp ? rows[up + x]! : 0;
      rows[o + x] = (raw[r + x]! + ((a + b) >> 1)) & 0xff;
    }
  } else if (filter === 4) {
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? rows[o + x - bpp]! : 0;
      const b = hasUp ? rows[up + x]! : 0;
      const c = x >= bpp && hasUp ? rows[up + x - bpp]! : 0;
      rows[o + x] = (raw[r + x]! + paeth(a, b, c)) & 0xff;
    }
  } else {
    throw new Error(`PNG row filter ${filter} is invalid`);
  }
}

/** Largest image decoded at all: 8192 x 8192 (an 8K frame is 33 M pixels). */
export const MAX_PNG_PIXELS = 8192 * 8192;

export interface DecodeOptions {
  /** Refuse any other size before inflating anything (mask uploads must be the video's size). */
  width?: number;
  height?: number;
  /** Accept 16-bit grey (object-id rasters), returned as `samples16`. */
  allow16?: boolean;
}

/**
 * Decodes a PNG; throws Error with a short reason for anything it does not support or finds corrupt. Inflating
 * is bounded by what the header's size needs (a decompression bomb, 1 MB inflating to 1 GiB, stops there with an
 * error instead of taking the memory), and the header's size is checked before anything is inflated.
 */
export function decodePng(file: Uint8Array, opts: DecodeOptions = {}): PngImage {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  let pos = 8;
  let width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
  let palette: Uint8Array | undefined;
  const idat: Buffer[] = [];
  while (pos + 12 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + len > buf.length) throw new Error(`PNG chunk ${type} is truncated`);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (((crc32(buf.subarray(pos + 4, pos + 8 + len)) ^ 0xffffffff) >>> 0) !== buf.readUInt32BE(pos + 8 + len)) {
      throw new Error(`PNG chunk ${type} has a bad CRC`);
    }
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8]!;
      colorType = body[9]!;
      interlace = body[12]!;
    } else if (type === 'PLTE') palette = new Uint8Array(body);
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = CHANNELS[colorType];
  if (!channels || width < 1 || height < 1) throw new Error('PNG header is missing or invalid');
  if (interlace !== 0) throw new Error('interlaced PNG is not supported');
  const grey16 = opts.allow16 === true && depth === 16 && colorType === 0;
  if (depth !== 8 && !grey16 && !(colorType === 3 && (depth === 1 || depth === 2 || depth === 4))) {
    throw new Error(`PNG bit depth ${depth} is not supported for colour type ${colorType}`);
  }
  if (colorType === 3 && !palette) throw new Error('palette PNG without a PLTE chunk');
  if ((opts.width !== undefined && width !== opts.width) || (opts.height !== undefined && height !== opts.height)) {
    throw new Error(`PNG is ${width}x${height}, expected ${opts.width ?? width}x${opts.height ?? height}`);
  }
  if (width * height > MAX_PNG_PIXELS) throw new Error(`PNG is ${width}x${height}, larger than the ${MAX_PNG_PIXELS / 2 ** 20} M pixels masks may have`);
  const bpp = Math.max(1, (channels * depth) / 8);
  const stride = Math.ceil((width * channels * depth) / 8);
  const expected = (stride + 1) * height;
  let raw: Buffer;
  try {
    // One byte more than needed tells "exactly right" from "inflates past its size" without taking more.
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`PNG image data inflates past the ${width}x${height} image it claims (decompression bomb?)`);
    }
    throw new Error(`PNG image data is corrupt (${(err as Error).message})`);
  }
  if (raw.length > expected) throw new Error(`PNG image data inflates past the ${width}x${height} image it claims (decompression bomb?)`);
  if (raw.length < expected) throw new Error('PNG image data is truncated');
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) unfilterRow(raw, y * (stride + 1), rows, y * stride, stride, bpp, y > 0);
  if (grey16) {
    const samples16 = new Uint16Array(width * height);
    for (let i = 0; i < samples16.length; i++) samples16[i] = (rows[2 * i]! << 8) | rows[2 * i + 1]!;
    return { width, height, channels: 1, data: new Uint8Array(0), colorType, samples16 };
  }
  let data = rows;
  if (depth < 8) {
    // Unpack sub-byte palette indices, most significant bits first.
    data = new Uint8Array(width * height);
    const perByte = 8 / depth;
    const mask = (1 << depth) - 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const byte = rows[y * stride + Math.floor(x / perByte)]!;
        data[y * width + x] = (byte >> (8 - depth * ((x % perByte) + 1))) & mask;
      }
    }
  }
  return { width, height, channels, data, colorType, ...(palette ? { palette } : {}) };
}
