/**
 * VOC-style writer (PASCAL VOC segmentation layout):
 *   JPEGImages/{vid}_{k:05}.jpg, SegmentationClass/{vid}_{k:05}.png (palette PNG: pixel = AVSS class index,
 *   colours = the VOC palette, the same colours as AVSS labels_rgb), ImageSets/Segmentation/{split}.txt,
 *   class_names.txt (line i = class i). Masks follow the sounding rule.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { writeStagedFile } from '../util/atomic-write';
import { classMask } from './clip-masks';
import { copyFrameJpeg, type WriterOptions, type WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { encodePalettePng } from './png';
import { frameName, sequenceFrames, splitLists, VOC_PALETTE_256 } from './sequence-frames';

export async function writeVoc(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  const result: WriterResult = { clips: 0, frames: 0, filesWritten: 0, warnings: [], keys: [] };
  const names: { split: 'train' | 'val' | 'test'; name: string }[] = [];
  const videos = new Set<string>();
  await fs.mkdir(path.join(root, 'SegmentationClass'), { recursive: true });
  for (const f of sequenceFrames(source, opts, result.warnings)) {
    const name = `${f.vid}_${frameName(f.k)}`;
    await copyFrameJpeg(f.video, f.frame, path.join(root, 'JPEGImages', `${name}.jpg`));
    const mask = await classMask(f.video, f.frame);
    await writeStagedFile(path.join(root, 'SegmentationClass', `${name}.png`), encodePalettePng(f.video.width, f.video.height, mask, VOC_PALETTE_256));
    names.push({ split: f.split, name });
    videos.add(f.video.id);
    result.frames++;
    result.filesWritten += 2;
  }
  result.clips = videos.size;
  result.keys = [...new Set(names.map((n) => n.name.slice(0, -6)))];
  await fs.mkdir(path.join(root, 'ImageSets', 'Segmentation'), { recursive: true });
  for (const [split, list] of splitLists(names)) {
    await writeStagedFile(path.join(root, 'ImageSets', 'Segmentation', `${split}.txt`), list.join('\n') + '\n');
    result.filesWritten++;
  }
  await writeStagedFile(path.join(root, 'class_names.txt'), AVSS_CLASSES.join('\n') + '\n');
  return { ...result, filesWritten: result.filesWritten + 1 };
}
