/**
 * Object-id rasters on disk: PNG, 8-bit grey while every id is below 256 (nearly always: a video rarely has 255
 * objects), 16-bit grey otherwise. Why PNG: lossless; deflate turns a mask's long runs into a few KB per 1080p
 * frame (measured in `npm run bench`); CRCs make a truncated or damaged file detectable instead of silently
 * misread; and any image tool can open the file. Our own codec (src-main/dataset/png.ts), no dependency.
 */
import { readFile } from 'node:fs/promises';
import type { ObjectRaster } from '../shared/project-model';
import { decodePng, encodeGreyPngAsync } from '../dataset/png';

/** Encodes a raster (deflate runs off the main thread, so saving never stalls the edits being answered). */
export async function encodeRaster(raster: ObjectRaster): Promise<Buffer> {
  const { width, height, data } = raster;
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > max) max = data[i]!;
  if (max > 255) return encodeGreyPngAsync(width, height, data);
  const bytes = new Uint8Array(data.length);
  bytes.set(data); // every id < 256 here, so the narrowing copy is exact
  return encodeGreyPngAsync(width, height, bytes);
}

/** Decodes a stored raster; throws an Error saying what is wrong (the caller names the file). */
export function decodeRaster(bytes: Uint8Array, width: number, height: number): ObjectRaster {
  const image = decodePng(bytes, { allow16: true });
  if (image.width !== width || image.height !== height) throw new Error(`is ${image.width}x${image.height}, the video is ${width}x${height}`);
  if (image.samples16) return { width, height, data: image.samples16 };
  if (image.channels !== 1 || image.colorType !== 0) throw new Error('is not a grey object-id PNG');
  const data = new Uint16Array(image.data.length);
  data.set(image.data);
  return { width, height, data };
}

export async function readRasterFile(file: string, width: number, height: number): Promise<ObjectRaster> {
  return decodeRaster(await readFile(file), width, height);
}
