/**
 * Binary framing for IPC values that hold typed arrays (object rasters, pixel patches), used by browser mode's
 * HTTP bodies (`application/octet-stream`). Electron does not need it: structured clone carries typed arrays.
 * Base64 in JSON would cost a third more bytes plus an encode and a decode of every raster.
 *
 * Layout (little-endian):  u32 headerBytes | header (UTF-8 JSON) | zero padding to 8 | blob 0 | blob 1 | ...
 * The header is the value with each typed array replaced by {"$bin": i}; `blobs[i]` = {type, offset, length}
 * (offset from the first blob, in bytes; length in elements). Decoding copies each blob into a fresh, aligned
 * typed array, so no view ever points at a misaligned offset.
 * Pure TypeScript (TextEncoder/TextDecoder exist in Node and every browser).
 */

export const BINARY_CONTENT_TYPE = 'application/octet-stream';
/** Refused above this: a 4K Uint16 raster is 16.6 MB; an edit batch may carry a few. */
export const MAX_BINARY_MESSAGE_BYTES = 256 * 1024 * 1024;

type BlobType = 'u8' | 'u16' | 'u32' | 'f32';
interface BlobRef { type: BlobType; offset: number; length: number }
const CTORS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, f32: Float32Array } as const;
type AnyTyped = Uint8Array | Uint16Array | Uint32Array | Float32Array;

function typeOf(value: unknown): BlobType | null {
  if (value instanceof Uint8Array) return 'u8';
  if (value instanceof Uint16Array) return 'u16';
  if (value instanceof Uint32Array) return 'u32';
  if (value instanceof Float32Array) return 'f32';
  return null;
}

/** True when `value` holds a typed array anywhere (then it travels binary). */
export function hasBinary(value: unknown, depth = 0): boolean {
  if (typeOf(value)) return true;
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return items.some((item) => hasBinary(item, depth + 1));
}

const pad8 = (n: number): number => (n + 7) & ~7;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeBinaryMessage(value: unknown): Uint8Array {
  const arrays: AnyTyped[] = [];
  const blobs: BlobRef[] = [];
  let offset = 0;
  const header = JSON.stringify(value, (_key, item: unknown) => {
    const type = typeOf(item);
    if (!type) return item;
    const array = item as AnyTyped;
    blobs.push({ type, offset, length: array.length });
    arrays.push(array);
    offset += pad8(array.byteLength);
    return { $bin: blobs.length - 1 };
  });
  const headerBytes = encoder.encode(`{"blobs":${JSON.stringify(blobs)},"value":${header ?? 'null'}}`);
  const start = pad8(4 + headerBytes.length);
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  arrays.forEach((array, i) => out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), start + blobs[i]!.offset));
  return out;
}

/** Throws an Error with a short reason when the framing is broken (the caller turns it into bad-input). */
export function decodeBinaryMessage(bytes: Uint8Array): unknown {
  if (bytes.length < 4) throw new Error('binary message is shorter than its header length');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + headerLength > bytes.length) throw new Error('binary message header is truncated');
  const parsed = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headerLength))) as { value?: unknown; blobs?: unknown };
  if (!Array.isArray(parsed.blobs)) throw new Error('binary message header has no blob list');
  const start = pad8(4 + headerLength);
  const arrays = parsed.blobs.map((ref: unknown, i) => {
    const { type, offset, length } = (ref ?? {}) as Partial<BlobRef>;
    const Ctor = type ? CTORS[type] : undefined;
    if (!Ctor || !Number.isInteger(offset) || !Number.isInteger(length) || offset! < 0 || length! < 0) {
      throw new Error(`binary message blob ${i} is malformed`);
    }
    const byteLength = length! * Ctor.BYTES_PER_ELEMENT;
    if (start + offset! + byteLength > bytes.length) throw new Error(`binary message blob ${i} is truncated`);
    const copy = new Ctor(length!);
    new Uint8Array(copy.buffer).set(bytes.subarray(start + offset!, start + offset! + byteLength));
    return copy;
  });
  return revive(parsed.value, arrays, 0);
}

function revive(value: unknown, arrays: AnyTyped[], depth: number): unknown {
  if (depth > 64 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => revive(item, arrays, depth + 1));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$bin') {
    const array = arrays[record['$bin'] as number];
    if (!array) throw new Error('binary message refers to a missing blob');
    return array;
  }
  return Object.fromEntries(keys.map((key) => [key, revive(record[key], arrays, depth + 1)]));
}
