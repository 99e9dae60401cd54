/**
 * Importing the per-video frame layouts our writers produce (voc-writer.ts, davis-writer.ts, ytvos-writer.ts),
 * and the published ones they follow:
 *   VOC: split lists name `{vid}_{k}` frames; SegmentationClass PNG index = AVSS class; one object per class.
 *   DAVIS: split lists name videos; Annotations PNG index = object k of the video (no classes in the layout:
 *     objects get the default class, with a notice); `Full-Resolution`, else `480p`.
 *   YouTube-VOS: `{split}/meta.json` names each object's category; Annotations PNG index = object k.
 * Object k of a DAVIS/YouTube-VOS video becomes object id k (every k up to the highest, so a re-export numbers
 * them the same and writes the same masks). Objects sound where they have pixels (the writers' rule). These
 * layouts carry no audio: imported videos are silent.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { SPLIT_NAMES, type SplitName } from '../shared/dataset-formats';
import { DAVIS_RES } from './davis-writer';
import { buildVideo, defaultClassOf, exists, tryClip, type ImportOptions } from './import-support';
import { readClassMask, readIndexMask, type ClassMap } from './mask-import';
import type { MemoryVideo } from './memory-source';
import type { YtvosMeta } from './ytvos-writer';

const missing = (file: string): Error => Object.assign(new Error(`${file}: missing`), { code: 'ENOENT', path: file });

async function requireFile(file: string): Promise<string> {
  if (!(await exists(file))) throw missing(file);
  return file;
}

/** `{dir}/{split}.txt` per split: the names listed (one per line), in file order. */
async function splitLists(dir: string): Promise<{ split: SplitName; name: string }[]> {
  const out: { split: SplitName; name: string }[] = [];
  for (const split of SPLIT_NAMES) {
    const file = path.join(dir, `${split}.txt`);
    if (!(await exists(file))) continue;
    for (const line of (await fs.readFile(file, 'utf8')).split(/\r?\n/)) if (line.trim()) out.push({ split, name: line.trim() });
  }
  return out;
}

/** The frame names (`00000`, ...) of a video folder of JPEGs, in frame order. */
async function frameNames(dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir).catch(() => { throw missing(dir); })).filter((n) => /^\d+\.jpg$/i.test(n));
  return names.map((n) => n.slice(0, -4)).sort((a, b) => Number(a) - Number(b));
}

async function maskOrNone(file: string, read: (bytes: Buffer, file: string) => ClassMap): Promise<ClassMap | undefined> {
  return (await exists(file)) ? read(await fs.readFile(file), file) : undefined;
}

const highest = (maps: readonly (ClassMap | undefined)[]): number => maps.reduce((top, m) => (m ? m.data.reduce((a, b) => (b > a ? b : a), top) : top), 0);

export async function importVoc(root: string, problems: string[]): Promise<MemoryVideo[]> {
  const byVid = new Map<string, { split: SplitName; names: string[] }>();
  const lists = path.join(root, 'ImageSets', 'Segmentation');
  for (const { split, name } of await splitLists(lists)) {
    const m = /^(.*)_(\d+)$/.exec(name);
    if (!m) {
      problems.push(`${path.join(lists, `${split}.txt`)}: "${name}" is not a {video}_{frame} name; skipped`);
      continue;
    }
    const entry = byVid.get(m[1]!) ?? { split, names: [] };
    entry.names.push(name);
    byVid.set(m[1]!, entry);
  }
  const out: MemoryVideo[] = [];
  for (const [vid, { split, names }] of byVid) {
    const video = await tryClip(problems, path.join(root, 'SegmentationClass'), async () => {
      const ordered = [...new Set(names)].sort((a, b) => Number(/_(\d+)$/.exec(a)![1]) - Number(/_(\d+)$/.exec(b)![1]));
      const images = await Promise.all(ordered.map((n) => requireFile(path.join(root, 'JPEGImages', `${n}.jpg`))));
      const maps = [];
      for (const n of ordered) maps.push(await maskOrNone(path.join(root, 'SegmentationClass', `${n}.png`), (b, f) => readClassMask(b, f)));
      return buildVideo({ name: vid, images, maps, split, origin: { vid, startSec: 0 } });
    });
    if (video) out.push(video);
  }
  return out;
}

/** One DAVIS/YouTube-VOS video: its JPEGs and object-index masks, objects 1..highest. */
async function objectVideo(vid: string, split: SplitName, jpegDir: string, maskDir: string, classOf: (k: number) => number): Promise<MemoryVideo> {
  const names = await frameNames(jpegDir);
  if (names.length === 0) throw missing(path.join(jpegDir, '00000.jpg'));
  const maps = [];
  for (const n of names) maps.push(await maskOrNone(path.join(maskDir, `${n}.png`), readIndexMask));
  return buildVideo({
    name: vid, images: names.map((n) => path.join(jpegDir, `${n}.jpg`)), maps, split, origin: { vid, startSec: 0 },
    objects: { classOf, objectsUpTo: highest(maps) },
  });
}

export async function importDavis(root: string, problems: string[], opts: ImportOptions): Promise<MemoryVideo[]> {
  const res = (await exists(path.join(root, 'Annotations', DAVIS_RES))) ? DAVIS_RES : '480p';
  const lists = path.join(root, 'ImageSets', '2017');
  const entries = await splitLists(lists);
  if (entries.length === 0) return [];
  const { classIndex, notice } = defaultClassOf(opts, 'DAVIS', lists);
  problems.push(notice);
  const out: MemoryVideo[] = [];
  for (const { split, name } of entries) {
    const video = await tryClip(problems, path.join(root, 'Annotations', res, name), () =>
      objectVideo(name, split, path.join(root, 'JPEGImages', res, name), path.join(root, 'Annotations', res, name), () => classIndex));
    if (video) out.push(video);
  }
  return out;
}

export async function importYtvos(root: string, problems: string[], opts: ImportOptions): Promise<MemoryVideo[]> {
  const out: MemoryVideo[] = [];
  for (const split of SPLIT_NAMES) {
    const file = path.join(root, split, 'meta.json');
    if (!(await exists(file))) continue;
    let meta: YtvosMeta;
    try {
      meta = JSON.parse(await fs.readFile(file, 'utf8')) as YtvosMeta;
      if (typeof meta?.videos !== 'object' || meta.videos === null) throw new Error('no "videos" object');
    } catch (err) {
      problems.push(`${file}: not a YouTube-VOS meta.json (${(err as Error).message})`);
      continue;
    }
    for (const [vid, entry] of Object.entries(meta.videos)) {
      const video = await tryClip(problems, path.join(root, split, 'Annotations', vid), async () => {
        const categories = entry?.objects ?? {};
        const fallback = defaultClassOf(opts, 'YouTube-VOS', file).classIndex;
        const classOf = (k: number): number => {
          const category = categories[String(k)]?.category;
          const known = AVSS_CLASSES.indexOf(category ?? '');
          if (known > 0) return known;
          // An object listed in no frame (it never sounds) has no category: the default class, silently.
          if (category !== undefined) problems.push(`${file}: ${vid} object ${k} has category "${category}", not an AVSS class; imported as "${AVSS_CLASSES[fallback]}"`);
          return fallback;
        };
        return objectVideo(vid, split, path.join(root, split, 'JPEGImages', vid), path.join(root, split, 'Annotations', vid), classOf);
      });
      if (video) out.push(video);
    }
  }
  return out;
}
