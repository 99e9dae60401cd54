/**
 * What every dataset importer shares (dataset-import.ts: AVSS, S4, MS3, COCO; sequence-import.ts: VOC, DAVIS,
 * YouTube-VOS): turning one entry's frame images and label maps into a MemoryVideo, and the rule that a broken
 * entry is reported (one line naming its file) and skipped while the rest of the folder still opens.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { SplitName } from '../shared/dataset-formats';
import { classMapsToObjects, type ClassMap, type MapObjects } from './mask-import';
import type { MemoryVideo } from './memory-source';

export interface ImportOptions {
  /** Class of objects in layouts that name none (MS3, DAVIS). Default `man`. */
  defaultClass?: string;
}

export const exists = (p: string): Promise<boolean> => fs.stat(p).then(() => true, () => false);
export const idOf = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'clip';

/** The class objects get in a layout without classes, and the one-line notice saying so (naming `file`). */
export function defaultClassOf(opts: ImportOptions, layout: string, file: string): { classIndex: number; notice: string } {
  const name = opts.defaultClass ?? 'man';
  const classIndex = AVSS_CLASSES.indexOf(name);
  if (classIndex < 1) throw new Error(`default class "${name}" is not an AVSS class`);
  return { classIndex, notice: `${file}: ${layout} names no classes; objects are imported as "${name}" (change them in the editor)` };
}

export interface EntryFrames {
  name: string;
  images: string[];
  maps: (ClassMap | undefined)[];
  /** A 16 kHz WAV beside the entry, used when it exists. */
  wav?: string;
  split: SplitName;
  origin: { vid: string; startSec: number };
  objects?: MapObjects;
}

export async function buildVideo(e: EntryFrames): Promise<MemoryVideo> {
  const first = e.maps.find((m) => m !== undefined);
  if (!first) throw new Error(`${e.name}: no label image`);
  const { objects, rasters } = classMapsToObjects(e.maps, first.width, first.height, e.objects);
  return {
    id: idOf(e.name), name: e.name, width: first.width, height: first.height, objects,
    frames: e.images.map((image, k) => ({ image, raster: rasters[k]! })),
    ...(e.wav && (await exists(e.wav)) ? { wav: e.wav } : {}), origin: e.origin, split: e.split,
  };
}

/** Runs `make`; a failure becomes one problem line naming the file (or `where`) and the entry is skipped. */
export async function tryClip(problems: string[], where: string, make: () => Promise<MemoryVideo>): Promise<MemoryVideo | undefined> {
  try {
    return await make();
  } catch (err) {
    const message = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${(err as NodeJS.ErrnoException).path ?? where}: missing` : (err as Error).message;
    problems.push(message.startsWith(where) || message.includes(path.sep) ? message : `${where}: ${message}`);
    return undefined;
  }
}
