/**
 * validateDataset: checks a folder of any supported layout against its published rules and lists every
 * problem with its path (empty = valid). AVSS has its own deep validator (avss-validator.ts); the others are
 * checked here through their index (every listed entry's files exist) plus per-file rules:
 *   S4/MS3: 5 frames of 224x224 PNG, binary 224x224 masks (0/255; S4 train: `_1` only), 16 kHz mono WAV of 5 s,
 *   the log-mel .pkl (written by `python -m ccformer add-logmel`);
 *   COCO: ids unique, references resolve, image files present, RLE decodes to the image size, categories 1..70;
 *   VOC/DAVIS/YouTube-VOS: every frame JPEG has a palette PNG of the same size (VOC: indices < 71).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NUM_AVSS_CLASSES } from '../shared/avss-classes';
import type { DatasetFormat } from '../shared/dataset-formats';
import { validateAvssDataset } from './avss-validator';
import { V1_SIZE } from './binary-clips';
import { decodeRle, stringToCounts } from './coco-rle';
import type { CocoFile } from './coco-writer';
import { LAYOUT_INDEX } from './dataset-index';
import { detectLayout } from './dataset-layout';
import { jpegSize } from './jpeg-size';
import { decodePng } from './png';
import { parseWavHeader } from './wav';

type Say = (rel: string, problem: string) => void;

async function checkPng(root: string, rel: string, say: Say, rule: { size?: [number, number]; binary?: boolean; palette?: boolean; maxIndex?: number }): Promise<{ width: number; height: number } | undefined> {
  let img;
  try {
    img = decodePng(await fs.readFile(path.join(root, rel)));
  } catch (err) {
    say(rel, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message);
    return undefined;
  }
  if (rule.size && (img.width !== rule.size[0] || img.height !== rule.size[1])) say(rel, `is ${img.width}x${img.height}, expected ${rule.size[0]}x${rule.size[1]}`);
  if (rule.palette && img.colorType !== 3) say(rel, 'is not a palette PNG');
  if (rule.binary || rule.maxIndex !== undefined) {
    if (img.channels !== 1) say(rel, 'is not single-channel');
    else {
      let bad = 0;
      for (const v of img.data) if (rule.binary ? v !== 0 && v !== 255 : v > rule.maxIndex!) bad++;
      if (bad) say(rel, rule.binary ? `${bad} pixels are neither 0 nor 255` : `${bad} pixels have an index above ${rule.maxIndex}`);
    }
  }
  return img;
}

async function checkWav(root: string, rel: string, seconds: number, say: Say): Promise<void> {
  try {
    const wav = parseWavHeader(await fs.readFile(path.join(root, rel)));
    if (wav.sampleRate !== 16000 || wav.channels !== 1 || wav.bitsPerSample !== 16) say(rel, `is ${wav.sampleRate} Hz, ${wav.channels} ch, ${wav.bitsPerSample} bit; expected 16 kHz mono PCM16`);
    if (Math.abs(wav.frames / 16000 - seconds) > 0.05) say(rel, `lasts ${(wav.frames / 16000).toFixed(2)} s, expected ${seconds} s`);
  } catch (err) {
    say(rel, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message);
  }
}

async function checkBinary(root: string, format: 's4' | 'ms3', say: Say): Promise<void> {
  const index = await LAYOUT_INDEX[format].read(root);
  for (const entry of index.entries) {
    const [frames, masks, wav] = entry.units as [string, string, string];
    const name = entry.key;
    const train = format === 's4' && masks.includes('/train/');
    for (let i = 1; i <= 5; i++) {
      const frame = format === 's4' ? `${frames}/${name}_${i}.png` : `${frames}/${name}.mp4_${i}.png`;
      await checkPng(root, frame, say, { size: [V1_SIZE, V1_SIZE] });
      if (!train || i === 1) await checkPng(root, `${masks}/${name}_${i}.png`, say, { size: [V1_SIZE, V1_SIZE], binary: true });
    }
    await checkWav(root, wav, 5, say);
    const pkl = entry.units[3]!;
    if (!(await fs.stat(path.join(root, pkl)).then((s) => s.isFile(), () => false))) say(pkl, 'missing (run `python -m ccformer add-logmel DATASET`)');
  }
}

async function checkCoco(root: string, say: Say): Promise<void> {
  const names = (await fs.readdir(path.join(root, 'annotations'))).filter((n) => /^instances_.*\.json$/.test(n));
  for (const name of names) {
    const rel = `annotations/${name}`;
    let coco: CocoFile;
    try {
      coco = JSON.parse(await fs.readFile(path.join(root, rel), 'utf8')) as CocoFile;
    } catch {
      say(rel, 'not valid JSON');
      continue;
    }
    if (!Array.isArray(coco.images) || !Array.isArray(coco.annotations) || !Array.isArray(coco.categories)) {
      say(rel, 'needs images, annotations and categories arrays');
      continue;
    }
    const cats = new Set(coco.categories.map((c) => c.id));
    for (const c of cats) if (!(c >= 1 && c < NUM_AVSS_CLASSES)) say(rel, `category id ${c} is not an AVSS class (1..70)`);
    const images = new Map(coco.images.map((im) => [im.id, im]));
    if (images.size !== coco.images.length) say(rel, 'duplicate image ids');
    const videos = new Set((coco.videos ?? []).map((v) => v.id));
    for (const im of coco.images) {
      if (coco.videos && !videos.has(im.video_id)) say(rel, `image ${im.id}: video_id ${im.video_id} is not listed`);
      try {
        const size = jpegSize(await fs.readFile(path.join(root, 'images', im.file_name)));
        if (size.width !== im.width || size.height !== im.height) say(`images/${im.file_name}`, `is ${size.width}x${size.height}, the JSON says ${im.width}x${im.height}`);
      } catch (err) {
        say(`images/${im.file_name}`, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message);
      }
    }
    const ids = new Set<number>();
    for (const a of coco.annotations) {
      const where = `${rel} annotation ${a.id}`;
      if (ids.has(a.id)) say(rel, `duplicate annotation id ${a.id}`);
      ids.add(a.id);
      const im = images.get(a.image_id);
      if (!im) { say(rel, `annotation ${a.id}: image_id ${a.image_id} is not listed`); continue; }
      if (!cats.has(a.category_id)) say(rel, `annotation ${a.id}: category_id ${a.category_id} is not listed`);
      try {
        const [h, w] = a.segmentation.size;
        if (h !== im.height || w !== im.width) say(rel, `annotation ${a.id}: RLE size ${w}x${h}, image ${im.width}x${im.height}`);
        const mask = decodeRle(stringToCounts(a.segmentation.counts), w, h);
        const area = mask.reduce((s, v) => s + v, 0);
        if (area !== a.area) say(rel, `annotation ${a.id}: area ${a.area}, its mask has ${area} pixels`);
      } catch (err) {
        say(where, (err as Error).message);
      }
    }
  }
}

/** VOC/DAVIS/YouTube-VOS: every frame JPEG of every entry has a same-size palette PNG. */
async function checkFrameLayout(root: string, format: 'voc' | 'davis' | 'ytvos', say: Say): Promise<void> {
  const index = await LAYOUT_INDEX[format].read(root);
  for (const entry of index.entries) {
    const [images, masks] = entry.units as [string, string];
    const pairs: [string, string][] = format === 'voc'
      ? [[images, masks]]
      : ((await fs.readdir(path.join(root, images)).catch(() => undefined)) ?? (say(images, 'missing'), [])).filter((n) => n.endsWith('.jpg')).sort()
        .map((n) => [`${images}/${n}`, `${masks}/${n.replace(/\.jpg$/, '.png')}`]);
    for (const [jpg, png] of pairs) {
      let size;
      try {
        size = jpegSize(await fs.readFile(path.join(root, jpg)));
      } catch (err) {
        say(jpg, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message);
      }
      await checkPng(root, png, say, { palette: true, ...(size ? { size: [size.width, size.height] as [number, number] } : {}), ...(format === 'voc' ? { maxIndex: NUM_AVSS_CLASSES - 1 } : {}) });
    }
  }
}

/** Every problem in `root` as `path: problem` lines; `format` defaults to the detected layout. */
export async function validateDataset(root: string, format?: DatasetFormat): Promise<{ format: DatasetFormat | undefined; problems: string[] }> {
  const layout = format ?? (await detectLayout(root));
  if (!layout) return { format: undefined, problems: [`${root}: not a dataset of any supported layout (avss, s4, ms3, coco, voc, davis, ytvos)`] };
  const problems: string[] = [];
  const say: Say = (rel, problem) => void problems.push(`${path.join(root, rel)}: ${problem}`);
  try {
    if (layout === 'avss') problems.push(...(await validateAvssDataset(root)).map((p) => `${root}${path.sep}${p}`));
    else if (layout === 's4' || layout === 'ms3') await checkBinary(root, layout, say);
    else if (layout === 'coco') await checkCoco(root, say);
    else await checkFrameLayout(root, layout, say);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return { format: layout, problems };
}
