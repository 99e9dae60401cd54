/**
 * AVSS writer (AVSBench-semantic layout, /work reference avsbench.md):
 *   {root}/metadata.csv (vid,uid,s_min,s_sec,a_obj,split,label), {root}/label2idx.json,
 *   {root}/{label}/{uid}/frames/{k}.jpg, labels_rgb/{k}.png (palette colours), labels_semantic/{k}.png (class
 *   indices), audio.wav (16 kHz mono PCM16);  uid = {vid}_{startMs}_{endMs}; k = 0..9 (v2) or 0..4 (v1s, v1m).
 * Clips follow the window rule (window-rule.ts); masks follow the sounding rule (clip-masks.ts). Frames and masks
 * are at the video's display size. v1s train clips carry only frame 0's label, as published.
 * Writes a fresh dataset into `root` (a staging folder); dataset-merge.ts merges it into an existing one.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_PALETTE, label2idx } from '../shared/avss-classes';
import { writeStagedFile } from '../util/atomic-write';
import { classMask } from './clip-masks';
import { copyFrameJpeg, minSec, sourceClips, writeWindowWav, type WriterOptions, type WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { mergeMetadata, parseMetadataCsv, type MetadataRow } from './metadata-csv';
import { describeFsError } from '../util/fs-errors';
import { readRegularIfExists } from '../util/regular-file';
import { encodePng } from './png';

/** The RGB colour mask of a class-index mask (AVSS palette). */
export function semanticToRgb(mask: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(mask.length * 3);
  for (let p = 0; p < mask.length; p++) {
    const colour = AVSS_PALETTE[mask[p]!] ?? AVSS_PALETTE[0]!;
    rgb[p * 3] = colour[0];
    rgb[p * 3 + 1] = colour[1];
    rgb[p * 3 + 2] = colour[2];
  }
  return rgb;
}

export function label2idxText(): string {
  return JSON.stringify(label2idx(), null, 2) + '\n';
}

export async function writeAvss(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  const label = opts.label ?? 'v2';
  const result: WriterResult = { clips: 0, frames: 0, filesWritten: 0, warnings: [], keys: [] };
  const rows: MetadataRow[] = [];
  for (const clip of sourceClips(source, label, opts, result.warnings)) {
    const dir = path.join(root, label, clip.uid);
    const { video } = clip;
    await fs.mkdir(path.join(dir, 'labels_semantic'), { recursive: true });
    await fs.mkdir(path.join(dir, 'labels_rgb'), { recursive: true });
    const labelled = label === 'v1s' && clip.split === 'train' ? 1 : clip.frames.length;
    for (const [k, frame] of clip.frames.entries()) {
      await copyFrameJpeg(video, frame, path.join(dir, 'frames', `${k}.jpg`));
      result.filesWritten++;
      if (k >= labelled) continue;
      const mask = await classMask(video, frame);
      await writeStagedFile(path.join(dir, 'labels_semantic', `${k}.png`), encodePng(video.width, video.height, 1, mask));
      await writeStagedFile(path.join(dir, 'labels_rgb', `${k}.png`), encodePng(video.width, video.height, 3, semanticToRgb(mask)));
      result.filesWritten += 2;
    }
    await writeWindowWav(video, clip.window.start, clip.window.length, path.join(dir, 'audio.wav'));
    rows.push({ vid: clip.vid, uid: clip.uid, ...minSec(clip.window.startMs), a_obj: clip.soundingNames.join('_'), split: clip.split, label });
    result.clips++;
    result.keys.push(clip.uid);
    result.frames += clip.frames.length;
    result.filesWritten++;
  }
  await writeStagedFile(path.join(root, 'metadata.csv'), mergeMetadata(undefined, rows).text);
  await writeStagedFile(path.join(root, 'label2idx.json'), label2idxText());
  result.filesWritten += 2;
  return result;
}

export class AvssExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AvssExportError';
  }
}

/**
 * Refuses a dataset folder this app must not merge into, BEFORE any work (the CLI calls it before pre-labelling):
 * a metadata.csv that does not parse or a label2idx.json that is not ours. One line naming the file.
 */
export async function checkAvssDatasetFolder(root: string): Promise<void> {
  const metaFile = path.join(root, 'metadata.csv');
  const meta = await readIfExists(metaFile);
  if (meta) parseMetadataCsv(meta, metaFile);
  const labelFile = path.join(root, 'label2idx.json');
  const labels = await readIfExists(labelFile);
  if (!labels) return;
  let theirs: unknown;
  try {
    theirs = JSON.parse(labels.toString('utf8'));
  } catch {
    throw new AvssExportError(`${labelFile}: not valid JSON (refusing to export into this dataset)`);
  }
  if (JSON.stringify(theirs) !== JSON.stringify(label2idx())) {
    throw new AvssExportError(`${labelFile}: class indices differ from the AVSS classes this app writes`);
  }
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readRegularIfExists(file, 'dataset');
  } catch (err) {
    throw new AvssExportError(`${describeFsError(err, file)} (refusing to export into this dataset)`);
  }
}
