/**
 * What the S4 and MS3 writers share (AVSBench v1 layouts): 5-s clips by the window rule, frames re-encoded to
 * 224x224 PNG (as published), binary masks (0 background, 255 sounding object; nearest resize to 224x224),
 * 16 kHz WAV. The log-mel `.pkl` tensors need Python: `python -m ccformer add-logmel DIR` writes them.
 * Each writer only says where the files go.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { convertStills } from '../media';
import { writeStagedFile } from '../util/atomic-write';
import { binaryMask, classMask, resizeNearest } from './clip-masks';
import { sourceClips, writeWindowWav, type ExportClip, type WriterOptions, type WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';
import { mergeKeyedCsv } from './metadata-csv';
import { encodePng } from './png';

export const V1_SIZE = 224;

export interface BinaryLayout {
  csvName: string;
  header: readonly string[];
  /** Relative paths of one clip's files; frame/mask indices i are 1-based. */
  framePath(clip: ExportClip, i: number): string;
  maskPath(clip: ExportClip, i: number): string;
  wavPath(clip: ExportClip): string;
  /** Frames with a mask (S4 train: only the first). */
  maskedFrames(clip: ExportClip): number;
  csvRow(clip: ExportClip): string[];
}

export async function writeBinaryClips(layout: BinaryLayout, source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  const result: WriterResult = { clips: 0, frames: 0, filesWritten: 0, warnings: [], keys: [] };
  const rows: string[][] = [];
  for (const clip of sourceClips(source, 'v1s', opts, result.warnings)) {
    const stills = [];
    for (const [k, frame] of clip.frames.entries()) {
      const dest = path.join(root, layout.framePath(clip, k + 1));
      await fs.mkdir(path.dirname(dest), { recursive: true });
      stills.push({ src: await frame.jpegPath(), dest });
    }
    await convertStills(stills, V1_SIZE, V1_SIZE, opts.signal);
    const masked = layout.maskedFrames(clip);
    for (let k = 0; k < masked; k++) {
      const { video } = clip;
      const mask = resizeNearest(binaryMask(await classMask(video, clip.frames[k]!)), video.width, video.height, V1_SIZE, V1_SIZE);
      const dest = path.join(root, layout.maskPath(clip, k + 1));
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await writeStagedFile(dest, encodePng(V1_SIZE, V1_SIZE, 1, mask));
    }
    await writeWindowWav(clip.video, clip.window.start, clip.window.length, path.join(root, layout.wavPath(clip)));
    rows.push(layout.csvRow(clip));
    result.clips++;
    result.keys.push(clip.uid);
    result.frames += clip.frames.length;
    result.filesWritten += clip.frames.length + masked + 1;
  }
  if (result.clips > 0) result.warnings.push(`the audio_log_mel/*.pkl tensors need Python: run \`python -m ccformer add-logmel DATASET\` on the dataset folder`);
  await writeStagedFile(path.join(root, layout.csvName), mergeKeyedCsv(undefined, layout.header, 0, rows).text);
  result.filesWritten++;
  return result;
}
