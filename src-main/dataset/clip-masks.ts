/**
 * The masks every writer writes, derived in one place from a frame's object raster and the sounding rule
 * (`flattenToClasses`: an object's pixels count only in seconds it sounds):
 *   class map (AVSS semantic, VOC), binary map (S4/MS3), per-object index map (DAVIS/YouTube-VOS), and the
 *   nearest-neighbour resize S4/MS3 need for their 224x224 masks.
 */
import { flattenToClasses, type ObjectRaster, type ProjectObject } from '../shared/project-model';
import type { ExportFrame, ExportVideo } from './export-source';

export class DatasetWriteError extends Error {
  /** 'io': the folder or disk is the problem; 'bad-input': the data or an existing dataset is. */
  constructor(message: string, readonly kind: 'io' | 'bad-input' = 'bad-input') {
    super(message);
    this.name = 'DatasetWriteError';
  }
}

/** The frame's raster, checked to be at the video's exact display size (never a rounded one). */
export async function frameRaster(video: ExportVideo, frame: ExportFrame): Promise<ObjectRaster> {
  const raster = await frame.raster();
  if (raster.width !== video.width || raster.height !== video.height || raster.data.length !== video.width * video.height) {
    throw new DatasetWriteError(`${video.name}: frame ${frame.index} mask is ${raster.width}x${raster.height}, the video is ${video.width}x${video.height}`);
  }
  return raster;
}

/** AVSS class index per pixel (0 = background or a silent object). */
export async function classMask(video: ExportVideo, frame: ExportFrame): Promise<Uint8Array> {
  return flattenToClasses(await frameRaster(video, frame), video.objects, frame.index);
}

/** S4/MS3: 255 where any sounding object is, else 0. */
export function binaryMask(classes: Uint8Array): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < out.length; i++) out[i] = classes[i] ? 255 : 0;
  return out;
}

/** Object k of a video (1-based, in id order) is palette index k in DAVIS/YouTube-VOS masks. */
export function objectRanks(objects: readonly ProjectObject[]): Map<number, number> {
  const ids = objects.map((o) => o.id).sort((a, b) => a - b);
  if (ids.length > 255) throw new DatasetWriteError(`${ids.length} objects in one video: DAVIS/YouTube-VOS masks hold at most 255`);
  return new Map(ids.map((id, k) => [id, k + 1]));
}

/** Per-pixel object rank, only for objects sounding in `second` (the export rule). */
export function objectIndexMask(raster: ObjectRaster, objects: readonly ProjectObject[], second: number, ranks: Map<number, number>): Uint8Array {
  const rankOf = new Uint8Array(65536);
  for (const o of objects) if (o.sounding[second]) rankOf[o.id] = ranks.get(o.id) ?? 0;
  const out = new Uint8Array(raster.data.length);
  for (let i = 0; i < out.length; i++) out[i] = rankOf[raster.data[i]!]!;
  return out;
}

/** Nearest-neighbour resize with pixel-centre sampling (labels must never be blended). */
export function resizeNearest(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  if (sw === dw && sh === dh) return src;
  const out = new Uint8Array(dw * dh);
  const xs = new Int32Array(dw);
  for (let x = 0; x < dw; x++) xs[x] = Math.min(sw - 1, Math.floor(((x + 0.5) * sw) / dw));
  for (let y = 0; y < dh; y++) {
    const row = Math.min(sh - 1, Math.floor(((y + 0.5) * sh) / dh)) * sw;
    for (let x = 0; x < dw; x++) out[y * dw + x] = src[row + xs[x]!]!;
  }
  return out;
}
