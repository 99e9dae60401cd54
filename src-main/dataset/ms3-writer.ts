/**
 * MS3 writer (AVSBench `Multi-sources/` layout):
 *   ms3_meta_data.csv (video_id,split),
 *   ms3_data/visual_frames/{name}/{name}.mp4_{i}.png   (literal `.mp4_`, no split folder; i = 1..5, 224x224),
 *   ms3_data/gt_masks/{split}/{name}/{name}_{i}.png     (binary, all 5 frames),
 *   ms3_data/audio_wav/{split}/{name}.wav, ms3_data/audio_log_mel/{split}/{name}.pkl (`python -m ccformer add-logmel`).
 * name = the clip uid.
 */
import { writeBinaryClips, type BinaryLayout } from './binary-clips';
import type { WriterOptions, WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';

export const MS3_HEADER = ['video_id', 'split'] as const;
export const MS3_CSV = 'ms3_meta_data.csv';

export const MS3_LAYOUT: BinaryLayout = {
  csvName: MS3_CSV,
  header: MS3_HEADER,
  framePath: (c, i) => `ms3_data/visual_frames/${c.uid}/${c.uid}.mp4_${i}.png`,
  maskPath: (c, i) => `ms3_data/gt_masks/${c.split}/${c.uid}/${c.uid}_${i}.png`,
  wavPath: (c) => `ms3_data/audio_wav/${c.split}/${c.uid}.wav`,
  maskedFrames: (c) => c.frames.length,
  csvRow: (c) => [c.uid, c.split],
};

export function writeMs3(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  return writeBinaryClips(MS3_LAYOUT, source, root, opts);
}
