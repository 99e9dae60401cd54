/**
 * Importing datasets into the document's terms (MemoryVideo: frames, object rasters, sounding flags, audio):
 *   AVSS (metadata.csv + clip folders): one video per clip, one object per class, sounding where it has pixels;
 *   S4 (category -> AVSS class, see S4_CLASSES) and MS3 (no class in the layout: `defaultClass`, with a warning);
 *   COCO (ours or any with RLE/polygon-free masks: one object per object_id or annotation track);
 *   VOC, DAVIS, YouTube-VOS (sequence-import.ts).
 * Every missing or unreadable file is reported with its path (one line each) and the clip is skipped, so a
 * partly broken folder still opens what is good. Masks become the frames' rasters with source 'imported'.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { DatasetFormat, SplitName } from '../shared/dataset-formats';
import { SPLIT_NAMES } from '../shared/dataset-formats';
import type { ProjectObject } from '../shared/project-model';
import { decodeRle, stringToCounts } from './coco-rle';
import type { CocoFile } from './coco-writer';
import { detectLayout } from './dataset-layout';
import { buildVideo, defaultClassOf, exists, idOf, tryClip, type ImportOptions } from './import-support';
import { readBinaryMask, readClassMask, type ClassMap } from './mask-import';
import type { MemoryVideo } from './memory-source';
import { csvRows, metadataRows, parseKeyedCsv, parseMetadataCsv } from './metadata-csv';
import { MS3_CSV, MS3_HEADER } from './ms3-writer';
import { S4_CSV, S4_HEADER } from './s4-writer';
import { importDavis, importVoc, importYtvos } from './sequence-import';

export type { ImportOptions } from './import-support';

/** The 23 published S4 categories -> the AVSS class their v2 re-annotation uses. */
export const S4_CLASSES: Readonly<Record<string, string>> = {
  ambulance_siren: 'emergency-car', baby_laughter: 'baby', cap_gun_shooting: 'gun', cat_meowing: 'cat',
  chainsawing_trees: 'saw', coyote_howling: 'wolf', dog_barking: 'dog', driving_buses: 'bus', female_singing: 'woman',
  helicopter: 'helicopter', 'horse_clip-clop': 'horse', lawn_mowing: 'mower', lions_roaring: 'lion', male_speech: 'man',
  mynah_bird_singing: 'bird', playing_acoustic_guitar: 'guitar', playing_glockenspiel: 'marimba', playing_piano: 'piano',
  playing_tabla: 'tabla', playing_ukulele: 'ukulele', playing_violin: 'violin', race_car: 'car', typing_on_computer_keyboard: 'keyboard',
};

const UID = /^(.*)_(\d+)_(\d+)$/;

/** origin from a uid `{vid}_{startMs}_{endMs}` (so re-exports keep the name), else the name itself at `startSec`. */
function originOf(name: string, startSec = 0): { vid: string; startSec: number } {
  const m = UID.exec(name);
  return m ? { vid: m[1]!, startSec: Number(m[2]) / 1000 } : { vid: name, startSec };
}

export interface ImportResult {
  format: DatasetFormat;
  videos: MemoryVideo[];
  /** One line per problem, each naming its file. */
  problems: string[];
}

async function importAvss(root: string, problems: string[]): Promise<MemoryVideo[]> {
  const csv = path.join(root, 'metadata.csv');
  const rows = metadataRows(parseMetadataCsv(await fs.readFile(csv), csv));
  const out: MemoryVideo[] = [];
  for (const row of rows) {
    const dir = path.join(root, row.label, row.uid);
    const video = await tryClip(problems, dir, async () => {
      const frames = (await fs.readdir(path.join(dir, 'frames'))).filter((n) => /^\d+\.jpg$/.test(n)).sort((a, b) => parseInt(a) - parseInt(b));
      const maps: (ClassMap | undefined)[] = [];
      for (let k = 0; k < frames.length; k++) {
        const file = path.join(dir, 'labels_semantic', `${k}.png`);
        maps.push((await exists(file)) ? readClassMask(await fs.readFile(file), file) : undefined);
      }
      return buildVideo({
        name: row.uid, images: frames.map((n) => path.join(dir, 'frames', n)), maps, wav: path.join(dir, 'audio.wav'), split: row.split as SplitName, origin: originOf(row.uid),
      });
    });
    if (video) out.push(video);
  }
  return out;
}

async function importBinary(root: string, format: 's4' | 'ms3', problems: string[], opts: ImportOptions): Promise<MemoryVideo[]> {
  const csv = path.join(root, format === 's4' ? S4_CSV : MS3_CSV);
  const rows = csvRows(parseKeyedCsv(await fs.readFile(csv), csv, format === 's4' ? S4_HEADER : MS3_HEADER, 0));
  const fallback = opts.defaultClass ?? 'man';
  if (format === 'ms3') problems.push(defaultClassOf(opts, 'MS3', csv).notice);
  const out: MemoryVideo[] = [];
  for (const row of rows) {
    const name = row[0]!;
    const split = (format === 's4' ? row[3] : row[1]) as SplitName;
    const category = row[2] ?? '';
    const className = format === 's4' ? (AVSS_CLASSES.includes(category) ? category : S4_CLASSES[category]) : fallback;
    const classIndex = AVSS_CLASSES.indexOf(className ?? '');
    const base = format === 's4' ? path.join(root, 's4_data') : path.join(root, 'ms3_data');
    const sub = format === 's4' ? `${split}/${category}` : split;
    const video = await tryClip(problems, path.join(base, 'gt_masks', sub, name), async () => {
      if (classIndex < 1) throw new Error(`category "${category}" is not an S4 or AVSS class`);
      const images: string[] = [];
      const maps: (ClassMap | undefined)[] = [];
      for (let i = 1; i <= 5; i++) {
        images.push(format === 's4' ? path.join(base, 'visual_frames', sub, name, `${name}_${i}.png`) : path.join(base, 'visual_frames', name, `${name}.mp4_${i}.png`));
        if (!(await exists(images[i - 1]!))) throw Object.assign(new Error('missing'), { code: 'ENOENT', path: images[i - 1] });
        const mask = path.join(base, 'gt_masks', sub, name, `${name}_${i}.png`);
        maps.push((await exists(mask)) ? readBinaryMask(await fs.readFile(mask), mask, classIndex) : undefined);
      }
      const start = format === 's4' ? Number(row[1]) : 0;
      return buildVideo({ name, images, maps, wav: path.join(base, 'audio_wav', sub, `${name}.wav`), split, origin: originOf(name, Number.isFinite(start) ? start : 0) });
    });
    if (video) out.push(video);
  }
  return out;
}

async function importCoco(root: string, problems: string[]): Promise<MemoryVideo[]> {
  const out: MemoryVideo[] = [];
  for (const split of SPLIT_NAMES) {
    const file = path.join(root, 'annotations', `instances_${split}.json`);
    if (!(await exists(file))) continue;
    let coco: CocoFile;
    try {
      coco = JSON.parse(await fs.readFile(file, 'utf8')) as CocoFile;
    } catch {
      problems.push(`${file}: not valid JSON`);
      continue;
    }
    for (const v of coco.videos ?? []) {
      const video = await tryClip(problems, file, async () => {
        const images = coco.images.filter((im) => im.video_id === v.id).sort((a, b) => a.frame_index - b.frame_index);
        const objects = new Map<number, ProjectObject>();
        const frames = images.map((im, k) => {
          const data = new Uint16Array(v.width * v.height);
          for (const a of coco.annotations.filter((x) => x.image_id === im.id)) {
            const mask = decodeRle(stringToCounts(a.segmentation.counts), v.width, v.height);
            const id = a.object_id ?? a.id;
            if (!objects.has(id)) objects.set(id, { id, classIndex: a.category_id, visible: true, locked: false, z: objects.size, sounding: new Array<boolean>(images.length).fill(false) });
            objects.get(id)!.sounding[k] = a.sounding !== false;
            for (let p = 0; p < mask.length; p++) if (mask[p]) data[p] = id;
          }
          return { image: path.join(root, 'images', im.file_name), raster: { width: v.width, height: v.height, data }, timeSec: im.time_sec };
        });
        return { id: idOf(v.name), name: v.name, width: v.width, height: v.height, objects: [...objects.values()].sort((a, b) => a.id - b.id), frames, split };
      });
      if (video) out.push(video);
    }
  }
  return out;
}

/** Imports the dataset in `dir` (layout detected). Throws only when the folder is no supported layout or its index is unreadable. */
export async function importDataset(dir: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const format = await detectLayout(dir);
  if (!format) {
    throw new Error(`${dir}: not a dataset this app reads (no metadata.csv, s4_meta_data.csv, ms3_meta_data.csv, annotations/instances_*.json, ImageSets/Segmentation, ImageSets/2017 or {split}/meta.json)`);
  }
  const problems: string[] = [];
  let videos: MemoryVideo[];
  if (format === 'avss') videos = await importAvss(dir, problems);
  else if (format === 's4' || format === 'ms3') videos = await importBinary(dir, format, problems, opts);
  else if (format === 'coco') videos = await importCoco(dir, problems);
  else if (format === 'voc') videos = await importVoc(dir, problems);
  else if (format === 'davis') videos = await importDavis(dir, problems, opts);
  else videos = await importYtvos(dir, problems, opts);
  return { format, videos, problems };
}
