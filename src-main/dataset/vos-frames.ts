/**
 * Shared by the DAVIS and YouTube-VOS writers: per video, the frame JPEG and a per-object palette PNG
 * (object k of the video, 1-based in id order, is palette index k; only objects sounding in that second, the
 * export rule). Returns, per video, which object ranks appear in which frames (YouTube-VOS meta.json needs it).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SplitName } from '../shared/dataset-formats';
import type { ProjectObject } from '../shared/project-model';
import { writeStagedFile } from '../util/atomic-write';
import { frameRaster, objectIndexMask, objectRanks } from './clip-masks';
import { copyFrameJpeg, type WriterOptions, type WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { encodePalettePng } from './png';
import { frameName, sequenceFrames, VOC_PALETTE_256 } from './sequence-frames';

export interface VosVideo {
  vid: string;
  split: SplitName;
  objects: readonly ProjectObject[];
  /** Object rank -> frame names where it has pixels. */
  appearances: Map<number, string[]>;
  ranks: Map<number, number>;
}

export interface VosPaths {
  jpeg(split: SplitName, vid: string, name: string): string;
  mask(split: SplitName, vid: string, name: string): string;
}

export async function writeVosFrames(source: ExportSource, root: string, opts: WriterOptions, paths: VosPaths): Promise<{ result: WriterResult; videos: VosVideo[] }> {
  const result: WriterResult = { clips: 0, frames: 0, filesWritten: 0, warnings: [], keys: [] };
  const videos = new Map<string, VosVideo>();
  for (const f of sequenceFrames(source, opts, result.warnings)) {
    let entry = videos.get(f.video.id);
    if (!entry) {
      entry = { vid: f.vid, split: f.split, objects: f.video.objects, appearances: new Map(), ranks: objectRanks(f.video.objects) };
      videos.set(f.video.id, entry);
    }
    const name = frameName(f.k);
    await copyFrameJpeg(f.video, f.frame, path.join(root, paths.jpeg(f.split, f.vid, name)));
    const mask = objectIndexMask(await frameRaster(f.video, f.frame), f.video.objects, f.k, entry.ranks);
    const present = new Set<number>();
    for (let i = 0; i < mask.length; i++) if (mask[i]) present.add(mask[i]!);
    for (const rank of present) entry.appearances.set(rank, [...(entry.appearances.get(rank) ?? []), name]);
    const dest = path.join(root, paths.mask(f.split, f.vid, name));
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await writeStagedFile(dest, encodePalettePng(f.video.width, f.video.height, mask, VOC_PALETTE_256));
    result.frames++;
    result.filesWritten += 2;
  }
  result.clips = videos.size;
  result.keys = [...videos.values()].map((v) => v.vid);
  return { result, videos: [...videos.values()] };
}
