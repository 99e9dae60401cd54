/**
 * COCO instance-segmentation writer:
 *   images/{vid}/{k:05}.jpg and annotations/instances_{split}.json with
 *   videos [{id, name, width, height, length}], images [{id, file_name, width, height, video_id, frame_index,
 *   time_sec}], categories = the 70 AVSS object classes (id = AVSS class index), annotations = one per object and
 *   frame where the object has pixels: {id, image_id, video_id, object_id, category_id, segmentation: compressed
 *   RLE, area, bbox, iscrowd: 0, sounding}. Unlike the other layouts, COCO keeps silent objects too, flagged
 *   `sounding: false` (filter on it to get the AVSBench rule); ids are 1-based and dense per file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_OBJECT_CLASSES } from '../shared/avss-classes';
import type { SplitName } from '../shared/dataset-formats';
import { writeStagedFile } from '../util/atomic-write';
import { frameRaster } from './clip-masks';
import { encodeRle, type CocoRle } from './coco-rle';
import { copyFrameJpeg, type WriterOptions, type WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { frameName, sequenceFrames } from './sequence-frames';

export interface CocoVideo { id: number; name: string; width: number; height: number; length: number }
export interface CocoImage { id: number; file_name: string; width: number; height: number; video_id: number; frame_index: number; time_sec: number }
export interface CocoAnnotation {
  id: number; image_id: number; video_id: number; object_id: number; category_id: number;
  segmentation: CocoRle; area: number; bbox: [number, number, number, number]; iscrowd: 0; sounding: boolean;
}
export interface CocoFile {
  info: { description: string; version: string };
  videos: CocoVideo[];
  images: CocoImage[];
  categories: { id: number; name: string; supercategory: string }[];
  annotations: CocoAnnotation[];
}

export const COCO_CATEGORIES = AVSS_OBJECT_CLASSES.map((name, i) => ({ id: i + 1, name, supercategory: 'object' }));

export function emptyCoco(): CocoFile {
  return { info: { description: 'AVS Annotator export (AVSS classes)', version: '1' }, videos: [], images: [], categories: COCO_CATEGORIES, annotations: [] };
}

/** Pixel count and [x, y, w, h] of `mask != 0`. */
export function maskBox(mask: Uint8Array, width: number): { area: number; bbox: [number, number, number, number] } {
  let area = 0, x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    area++;
    const x = i % width, y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { area, bbox: area ? [x0, y0, x1 - x0 + 1, y1 - y0 + 1] : [0, 0, 0, 0] };
}

export async function writeCoco(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  const result: WriterResult = { clips: 0, frames: 0, filesWritten: 0, warnings: [], keys: [] };
  const files = new Map<SplitName, CocoFile>();
  const videoIds = new Map<string, number>();
  for (const f of sequenceFrames(source, opts, result.warnings)) {
    const coco = files.get(f.split) ?? emptyCoco();
    files.set(f.split, coco);
    const { video } = f;
    let videoId = videoIds.get(video.id);
    if (videoId === undefined) {
      videoId = coco.videos.length + 1;
      videoIds.set(video.id, videoId);
      coco.videos.push({ id: videoId, name: f.vid, width: video.width, height: video.height, length: video.frames.length });
    }
    if (!result.keys.includes(f.vid)) result.keys.push(f.vid);
    const fileName = `${f.vid}/${frameName(f.k)}.jpg`;
    await copyFrameJpeg(video, f.frame, path.join(root, 'images', fileName));
    const image: CocoImage = { id: coco.images.length + 1, file_name: fileName, width: video.width, height: video.height, video_id: videoId, frame_index: f.k, time_sec: f.frame.timeSec };
    coco.images.push(image);
    const raster = await frameRaster(video, f.frame);
    for (const object of [...video.objects].sort((a, b) => a.id - b.id)) {
      const mask = new Uint8Array(raster.data.length);
      for (let i = 0; i < mask.length; i++) if (raster.data[i] === object.id) mask[i] = 1;
      const { area, bbox } = maskBox(mask, video.width);
      if (area === 0) continue;
      coco.annotations.push({
        id: coco.annotations.length + 1, image_id: image.id, video_id: videoId, object_id: object.id, category_id: object.classIndex,
        segmentation: encodeRle(mask, video.width, video.height), area, bbox, iscrowd: 0, sounding: object.sounding[f.k] === true,
      });
    }
    result.frames++;
    result.filesWritten++;
  }
  result.clips = videoIds.size;
  await fs.mkdir(path.join(root, 'annotations'), { recursive: true });
  for (const [split, coco] of files) {
    await writeStagedFile(path.join(root, 'annotations', `instances_${split}.json`), JSON.stringify(coco) + '\n');
    result.filesWritten++;
  }
  return result;
}
