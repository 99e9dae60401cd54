/**
 * Reading label images back into the document's terms: a class-index PNG, a palette PNG (indices) or an RGB
 * colour PNG (exact match against the AVSS palette; unmatched pixels become background, as AVSBench reads
 * them) -> a class map; class maps of a video -> one object per class (id = class index, so ids are stable)
 * sounding in the seconds where it has pixels (AVSBench labels only sounding objects), plus the rasters.
 */
import { AVSS_PALETTE, NUM_AVSS_CLASSES } from '../shared/avss-classes';
import type { ObjectRaster, ProjectObject } from '../shared/project-model';
import { decodePng } from './png';

const key = (r: number, g: number, b: number): number => (r << 16) | (g << 8) | b;
const PALETTE_INDEX = new Map(AVSS_PALETTE.map((c, i) => [key(c[0], c[1], c[2]), i]));

export interface ClassMap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Class map of a label PNG; indices >= 71 are an error (the file is named by the caller). */
export function readClassMask(bytes: Uint8Array, file: string): ClassMap {
  let image;
  try {
    image = decodePng(bytes);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const { width, height } = image;
  const data = new Uint8Array(width * height);
  if (image.channels === 1) data.set(image.data);
  else if (image.channels === 3 || image.channels === 4) {
    const c = image.channels;
    for (let p = 0; p < data.length; p++) data[p] = PALETTE_INDEX.get(key(image.data[p * c]!, image.data[p * c + 1]!, image.data[p * c + 2]!)) ?? 0;
  } else throw new Error(`${file}: grey+alpha PNG is not a label image`);
  for (let p = 0; p < data.length; p++) if (data[p]! >= NUM_AVSS_CLASSES) throw new Error(`${file}: class index ${data[p]} is not an AVSS class (0..70)`);
  return { width, height, data };
}

/** S4/MS3 binary masks: any non-zero pixel is the object. */
export function readBinaryMask(bytes: Uint8Array, file: string, classIndex: number): ClassMap {
  const map = readClassMaskLoose(bytes, file);
  for (let p = 0; p < map.data.length; p++) map.data[p] = map.data[p] ? classIndex : 0;
  return map;
}

function readClassMaskLoose(bytes: Uint8Array, file: string): ClassMap {
  let image;
  try {
    image = decodePng(bytes);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const c = image.channels;
  const data = new Uint8Array(image.width * image.height);
  for (let p = 0; p < data.length; p++) data[p] = image.data[p * c]!;
  return { width: image.width, height: image.height, data };
}

/**
 * One object per class present; `maps[k]` undefined = frame k has no label (e.g. S4 train frames 2..5):
 * its raster is empty and nothing sounds there.
 */
export function classMapsToObjects(maps: readonly (ClassMap | undefined)[], width: number, height: number): { objects: ProjectObject[]; rasters: ObjectRaster[] } {
  const present = new Map<number, boolean[]>();
  const rasters = maps.map((m, k): ObjectRaster => {
    const data = new Uint16Array(width * height);
    if (!m) return { width, height, data };
    if (m.width !== width || m.height !== height) throw new Error(`label ${k} is ${m.width}x${m.height}, the frames are ${width}x${height}`);
    for (let p = 0; p < data.length; p++) {
      const c = m.data[p]!;
      data[p] = c;
      if (c) {
        let flags = present.get(c);
        if (!flags) present.set(c, (flags = new Array<boolean>(maps.length).fill(false)));
        flags[k] = true;
      }
    }
    return { width, height, data };
  });
  const objects = [...present.entries()].sort((a, b) => a[0] - b[0]).map(([c, sounding], z): ProjectObject => ({
    id: c, classIndex: c, visible: true, locked: false, z, sounding,
  }));
  return { objects, rasters };
}
