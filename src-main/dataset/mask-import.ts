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

export interface ClassMaskOptions {
  /**
   * A colour that is not an AVSS palette colour (RGB pixel, or a palette entry differing from the AVSS colour of
   * its index): 'background' (default, as AVSBench's loaders read labels_rgb) or 'error' (a user's mask folder,
   * where an unknown colour is a mistake to report, never a silent hole).
   */
  unknownColour?: 'background' | 'error';
}

const hex = (r: number, g: number, b: number): string => `#${key(r, g, b).toString(16).padStart(6, '0')}`;

/** Class of each palette entry: its index when it carries the AVSS colour of that index, else its colour's class (-1: none). */
function paletteClasses(palette: Uint8Array): Int16Array {
  const out = new Int16Array(256).fill(-1);
  for (let i = 0; i * 3 < palette.length && i < 256; i++) {
    const [r, g, b] = [palette[i * 3]!, palette[i * 3 + 1]!, palette[i * 3 + 2]!];
    const own = AVSS_PALETTE[i];
    if (own && own[0] === r && own[1] === g && own[2] === b) out[i] = i;
    else out[i] = PALETTE_INDEX.get(key(r, g, b)) ?? -1;
  }
  return out;
}

/** Class map of a label PNG; indices >= 71 are an error (the file is named by the caller). */
export function readClassMask(bytes: Uint8Array, file: string, opts: ClassMaskOptions = {}): ClassMap {
  let image;
  try {
    image = decodePng(bytes);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const strict = opts.unknownColour === 'error';
  const { width, height } = image;
  const data = new Uint8Array(width * height);
  const at = (p: number): string => `pixel (${p % width}, ${Math.floor(p / width)})`;
  if (image.channels === 1 && image.colorType === 3 && image.palette && strict) {
    const classes = paletteClasses(image.palette);
    for (let p = 0; p < data.length; p++) {
      const i = image.data[p]!;
      const c = classes[i]!;
      if (c < 0) {
        const pal = image.palette;
        const colour = i * 3 < pal.length ? `unknown palette colour ${hex(pal[i * 3]!, pal[i * 3 + 1]!, pal[i * 3 + 2]!)}` : 'a palette index past the PLTE chunk';
        throw new Error(`${file}: ${colour} (index ${i}) at ${at(p)}, not an AVSS class colour`);
      }
      data[p] = c;
    }
  } else if (image.channels === 1) data.set(image.data);
  else if (image.channels === 3 || image.channels === 4) {
    const c = image.channels;
    for (let p = 0; p < data.length; p++) {
      const [r, g, b] = [image.data[p * c]!, image.data[p * c + 1]!, image.data[p * c + 2]!];
      const cls = PALETTE_INDEX.get(key(r, g, b));
      if (cls === undefined && strict) throw new Error(`${file}: unknown palette colour ${hex(r, g, b)} at ${at(p)}, not an AVSS class colour`);
      data[p] = cls ?? 0;
    }
  } else throw new Error(`${file}: grey+alpha PNG is not a label image`);
  for (let p = 0; p < data.length; p++) if (data[p]! >= NUM_AVSS_CLASSES) throw new Error(`${file}: class index ${data[p]} at ${at(p)} is not an AVSS class (0..70)`);
  return { width, height, data };
}

/** S4/MS3 binary masks: any non-zero pixel is the object. */
export function readBinaryMask(bytes: Uint8Array, file: string, classIndex: number): ClassMap {
  const map = readIndexMask(bytes, file);
  for (let p = 0; p < map.data.length; p++) map.data[p] = map.data[p] ? classIndex : 0;
  return map;
}

/** The first channel as is: palette indices of a DAVIS/YouTube-VOS object mask (0..255), or grey values. */
export function readIndexMask(bytes: Uint8Array, file: string): ClassMap {
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

export interface MapObjects {
  /** AVSS class of the object a mask value stands for (default: the value itself, a class map). */
  classOf?: (value: number) => number;
  /**
   * Object-index maps (DAVIS, YouTube-VOS): every value 1..n gets an object, pixels or not, so object k stays
   * object k (their writers number objects by rank: a gap would renumber the ones after it).
   */
  objectsUpTo?: number;
}

/**
 * One object per mask value present (id = the value: a class for class maps, a rank for object maps);
 * `maps[k]` undefined = frame k has no label (e.g. S4 train frames 2..5): its raster is empty and nothing
 * sounds there. An object sounds in the frames where it has pixels.
 */
export function classMapsToObjects(maps: readonly (ClassMap | undefined)[], width: number, height: number, o: MapObjects = {}): { objects: ProjectObject[]; rasters: ObjectRaster[] } {
  const present = new Map<number, boolean[]>();
  const flagsOf = (value: number): boolean[] => {
    let flags = present.get(value);
    if (!flags) present.set(value, (flags = new Array<boolean>(maps.length).fill(false)));
    return flags;
  };
  for (let v = 1; v <= (o.objectsUpTo ?? 0); v++) flagsOf(v);
  const rasters = maps.map((m, k): ObjectRaster => {
    const data = new Uint16Array(width * height);
    if (!m) return { width, height, data };
    if (m.width !== width || m.height !== height) throw new Error(`label ${k} is ${m.width}x${m.height}, the frames are ${width}x${height}`);
    for (let p = 0; p < data.length; p++) {
      const c = m.data[p]!;
      data[p] = c;
      if (c) flagsOf(c)[k] = true;
    }
    return { width, height, data };
  });
  const objects = [...present.entries()].sort((a, b) => a[0] - b[0]).map(([c, sounding], z): ProjectObject => ({
    id: c, classIndex: o.classOf ? o.classOf(c) : c, visible: true, locked: false, z, sounding,
  }));
  return { objects, rasters };
}
