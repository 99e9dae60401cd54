/**
 * Dataset formats the app writes and reads, and how an export assigns splits: shared by main (writers, CLI,
 * IPC validation) and the renderer (the export dialog). Pure TypeScript.
 */
import * as v from 'valibot';
import { IdSchema } from './project-model';

export const DATASET_FORMATS = ['avss', 's4', 'ms3', 'coco', 'voc', 'davis', 'ytvos'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const FORMAT_LABELS: Readonly<Record<DatasetFormat, string>> = {
  avss: 'AVSBench-semantic (AVSS)', s4: 'AVSBench S4 (single source)', ms3: 'AVSBench MS3 (multi-source)',
  coco: 'COCO instance segmentation', voc: 'VOC palette PNGs', davis: 'DAVIS', ytvos: 'YouTube-VOS',
};

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

const Split = v.picklist(SPLIT_NAMES);
const Share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** How videos get their split: one for all, one per video (others default), or shuffled by a seeded ratio. */
export const SplitSpecSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('all'), split: Split }),
  v.strictObject({
    kind: v.literal('per-video'),
    splits: v.pipe(v.record(IdSchema, Split), v.check((r) => Object.keys(r).length <= 100000, 'too many videos')),
    fallback: Split,
  }),
  v.strictObject({
    kind: v.literal('ratio'), train: Share, val: Share, test: Share,
    seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)),
  }),
]);
export type SplitSpec = v.InferOutput<typeof SplitSpecSchema>;

/** AVSS sub-folder (and window length: v2 10 s, v1s/v1m 5 s). */
export const AVSS_LABELS = ['v2', 'v1s', 'v1m'] as const;

export const ExportRequestSchema = v.strictObject({
  format: v.picklist(DATASET_FORMATS),
  split: SplitSpecSchema,
  label: v.optional(v.picklist(AVSS_LABELS)),
  /** Limit to these videos (default: all). */
  videoIds: v.optional(v.pipe(v.array(IdSchema), v.maxLength(100000))),
});
export type ExportRequest = v.InferOutput<typeof ExportRequestSchema>;

export interface ExportPreview {
  format: DatasetFormat;
  clips: number;
  frames: number;
  objects: number;
  /** Sounding class names that will appear. */
  classes: string[];
  /** Videos per split. */
  splits: Record<SplitName, number>;
  warnings: string[];
}

export interface DatasetExportSummary {
  format: DatasetFormat;
  outDir: string;
  clips: number;
  frames: number;
  filesWritten: number;
  /** Entries (rows, images, clips) already in the folder that this export replaced instead of duplicating. */
  replaced: number;
  warnings: string[];
  /** Clip uids (AVSS, S4, MS3) or video names written. */
  keys: string[];
}
