/**
 * DAVIS writer (DAVIS 2017 semi-supervised layout, full-resolution set):
 *   JPEGImages/Full-Resolution/{vid}/{k:05}.jpg, Annotations/Full-Resolution/{vid}/{k:05}.png (palette PNG,
 *   object k -> index k), ImageSets/2017/{split}.txt (sequence names). Frames are the 1-per-second samples.
 */
import path from 'node:path';
import { writeStagedFile } from '../util/atomic-write';
import { promises as fs } from 'node:fs';
import type { WriterOptions, WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { splitLists } from './sequence-frames';
import { writeVosFrames } from './vos-frames';

export const DAVIS_RES = 'Full-Resolution';

export async function writeDavis(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  const { result, videos } = await writeVosFrames(source, root, opts, {
    jpeg: (_s, vid, name) => `JPEGImages/${DAVIS_RES}/${vid}/${name}.jpg`,
    mask: (_s, vid, name) => `Annotations/${DAVIS_RES}/${vid}/${name}.png`,
  });
  await fs.mkdir(path.join(root, 'ImageSets', '2017'), { recursive: true });
  for (const [split, list] of splitLists(videos.map((v) => ({ split: v.split, name: v.vid })))) {
    await writeStagedFile(path.join(root, 'ImageSets', '2017', `${split}.txt`), list.join('\n') + '\n');
    result.filesWritten++;
  }
  return result;
}
