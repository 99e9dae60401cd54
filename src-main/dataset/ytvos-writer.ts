/**
 * YouTube-VOS writer (2019 layout):
 *   {split}/JPEGImages/{vid}/{k:05}.jpg, {split}/Annotations/{vid}/{k:05}.png (palette PNG, object k -> index k),
 *   {split}/meta.json: {"videos": {vid: {"objects": {"k": {"category": AVSS class, "frames": [names]}}}}}
 *   listing, per object, the frames where it has (sounding) pixels.
 */
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { SplitName } from '../shared/dataset-formats';
import { writeStagedFile } from '../util/atomic-write';
import type { WriterOptions, WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { writeVosFrames, type VosVideo } from './vos-frames';

export interface YtvosMeta {
  videos: Record<string, { objects: Record<string, { category: string; frames: string[] }> }>;
}

export function ytvosMeta(videos: readonly VosVideo[]): YtvosMeta {
  const meta: YtvosMeta = { videos: {} };
  for (const v of videos) {
    const objects: YtvosMeta['videos'][string]['objects'] = {};
    for (const o of v.objects) {
      const rank = v.ranks.get(o.id)!;
      const frames = v.appearances.get(rank);
      if (frames) objects[String(rank)] = { category: AVSS_CLASSES[o.classIndex]!, frames };
    }
    meta.videos[v.vid] = { objects };
  }
  return meta;
}

export async function writeYtvos(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  const { result, videos } = await writeVosFrames(source, root, opts, {
    jpeg: (s, vid, name) => `${s}/JPEGImages/${vid}/${name}.jpg`,
    mask: (s, vid, name) => `${s}/Annotations/${vid}/${name}.png`,
  });
  const bySplit = new Map<SplitName, VosVideo[]>();
  for (const v of videos) bySplit.set(v.split, [...(bySplit.get(v.split) ?? []), v]);
  for (const [split, list] of bySplit) {
    await writeStagedFile(path.join(root, split, 'meta.json'), JSON.stringify(ytvosMeta(list), null, 1) + '\n');
    result.filesWritten++;
  }
  return result;
}
