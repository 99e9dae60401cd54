/**
 * S4 writer (AVSBench `Single-source/` layout):
 *   s4_meta_data.csv (name,start,category,split; read by position: 0 name, 1 start s, 2 category, 3 split),
 *   s4_data/visual_frames/{split}/{category}/{name}/{name}_{i}.png  (i = 1..5, 224x224),
 *   s4_data/gt_masks/{split}/{category}/{name}/{name}_{i}.png       (binary; train: only _1.png, as published),
 *   s4_data/audio_wav/{split}/{category}/{name}.wav                  (16 kHz mono),
 *   s4_data/audio_log_mel/{split}/{category}/{name}.pkl              (added by `python -m ccformer add-logmel`).
 * name = the clip uid; category = the clip's sounding AVSS class (S4 is single-source: with several, the first
 * in class order; with none, `silent`).
 */
import { writeBinaryClips, type BinaryLayout } from './binary-clips';
import type { ExportClip, WriterOptions, WriterResult } from './dataset-clips';
import type { ExportSource } from './export-source';

export const S4_HEADER = ['name', 'start', 'category', 'split'] as const;
export const S4_CSV = 's4_meta_data.csv';

export function s4Category(clip: Pick<ExportClip, 'soundingNames'>): string {
  return clip.soundingNames[0] ?? 'silent';
}

const folder = (clip: ExportClip): string => `${clip.split}/${s4Category(clip)}`;

export const S4_LAYOUT: BinaryLayout = {
  csvName: S4_CSV,
  header: S4_HEADER,
  framePath: (c, i) => `s4_data/visual_frames/${folder(c)}/${c.uid}/${c.uid}_${i}.png`,
  maskPath: (c, i) => `s4_data/gt_masks/${folder(c)}/${c.uid}/${c.uid}_${i}.png`,
  wavPath: (c) => `s4_data/audio_wav/${folder(c)}/${c.uid}.wav`,
  maskedFrames: (c) => (c.split === 'train' ? 1 : c.frames.length),
  csvRow: (c) => [c.uid, String(c.window.startMs / 1000), s4Category(c), c.split],
};

export function writeS4(source: ExportSource, root: string, opts: WriterOptions): Promise<WriterResult> {
  return writeBinaryClips(S4_LAYOUT, source, root, opts);
}
