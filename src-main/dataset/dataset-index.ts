/**
 * The index of each layout: the files that list a dataset's entries (CSV rows, split lists, JSON), which files
 * and folders each entry owns ("units"), and how two indices merge without duplicates (an entry with the same
 * key replaces the old one in place; others are appended). dataset-merge.ts moves the units and writes these.
 * A corrupt index is refused with a one-line error naming the file, before anything is changed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetFormat, SplitName } from '../shared/dataset-formats';
import { SPLIT_NAMES } from '../shared/dataset-formats';
import { describeFsError, FileStepError } from '../util/fs-errors';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { label2idxText } from './avss-writer';
import { DatasetWriteError } from './clip-masks';
import { emptyCoco, type CocoFile } from './coco-writer';
import { csvRows, mergeKeyedCsv, parseKeyedCsv, METADATA_HEADER, type ParsedMetadata } from './metadata-csv';
import { MS3_CSV, MS3_HEADER } from './ms3-writer';
import { S4_CSV, S4_HEADER } from './s4-writer';
import { DAVIS_RES } from './davis-writer';
import type { YtvosMeta } from './ytvos-writer';

export interface IndexEntry {
  key: string;
  /** Files and folders (relative) that belong to this entry only. */
  units: string[];
}

export interface DatasetIndex {
  entries: IndexEntry[];
  /** The index files' new content when `incoming` is merged into this (undefined this = new dataset). */
  merge(incoming: DatasetIndex | undefined): { files: Map<string, string>; replaced: number };
}

export interface LayoutIndex {
  /** Files whose presence says a folder is this layout. */
  marker: string;
  read(dir: string): DatasetIndex;
  /** Index files (relative) of this layout that may exist in a dataset. */
  files: readonly string[];
}

/** Index files are small and read under the dataset lock inside a commit's (synchronous) merge step. */
function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileStepError(describeFsError(err, file), (err as NodeJS.ErrnoException).code);
  }
}

/** CSV layouts (AVSS, S4, MS3): one row per clip, keyed by one column. */
function csvIndex(
  csvName: string, header: readonly string[], key: number, units: (row: string[]) => string[],
  extra?: Record<string, string>, check?: (dir: string) => void,
): LayoutIndex {
  return {
    marker: csvName,
    files: [csvName, ...Object.keys(extra ?? {})],
    read(dir) {
      check?.(dir);
      const file = path.join(dir, csvName);
      const bytes = readOptional(file);
      const parsed: ParsedMetadata | undefined = bytes ? parseKeyedCsv(bytes, file, header, key) : undefined;
      const rows = parsed ? csvRows(parsed) : [];
      const index: DatasetIndex & { rows: string[][] } = {
        rows,
        entries: rows.map((r) => ({ key: r[key]!, units: units(r) })),
        merge(incoming) {
          const add = (incoming as (DatasetIndex & { rows: string[][] }) | undefined)?.rows ?? [];
          const merged = mergeKeyedCsv(parsed, header, key, add);
          return { files: new Map([[csvName, merged.text], ...Object.entries(extra ?? {})]), replaced: merged.replaced };
        },
      };
      return index;
    },
  };
}

/** Split-list layouts (VOC, DAVIS): `{listDir}/{split}.txt`, one key per line; a key lives in one split. */
function listIndex(listDir: string, units: (key: string) => string[], extra?: Record<string, string>): LayoutIndex {
  return {
    marker: listDir,
    files: [...SPLIT_NAMES.map((s) => `${listDir}/${s}.txt`), ...Object.keys(extra ?? {})],
    read(dir) {
      const splits = new Map<string, SplitName>();
      for (const split of SPLIT_NAMES) {
        const text = readOptional(path.join(dir, listDir, `${split}.txt`))?.toString('utf8');
        for (const line of text?.split(/\r?\n/) ?? []) if (line.trim()) splits.set(line.trim(), split);
      }
      return {
        splits,
        entries: [...splits.keys()].map((k) => ({ key: k, units: units(k) })),
        merge(incoming) {
          const all = new Map(splits);
          let replaced = 0;
          for (const [k, s] of (incoming as { splits?: Map<string, SplitName> } | undefined)?.splits ?? []) {
            if (all.has(k)) replaced++;
            all.set(k, s);
          }
          const files = new Map(Object.entries(extra ?? {}));
          for (const split of SPLIT_NAMES) {
            const names = [...all].filter(([, s]) => s === split).map(([k]) => k).sort();
            if (names.length) files.set(`${listDir}/${split}.txt`, names.join('\n') + '\n');
          }
          return { files, replaced };
        },
      } as DatasetIndex & { splits: Map<string, SplitName> };
    },
  };
}

function readJson<T>(file: string): T | undefined {
  const bytes = readOptional(file);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new DatasetWriteError(`${file}: not valid JSON (corrupt, refusing to overwrite it)`);
  }
}

/** COCO: one JSON per split; entries are videos (by name), owning images/{name}/. */
const cocoIndex: LayoutIndex = {
  marker: 'annotations',
  files: SPLIT_NAMES.map((s) => `annotations/instances_${s}.json`),
  read(dir) {
    const files = new Map<SplitName, CocoFile>();
    for (const split of SPLIT_NAMES) {
      const coco = readJson<CocoFile>(path.join(dir, 'annotations', `instances_${split}.json`));
      if (coco && (!Array.isArray(coco.videos) || !Array.isArray(coco.images) || !Array.isArray(coco.annotations))) {
        throw new DatasetWriteError(`${path.join(dir, 'annotations', `instances_${split}.json`)}: not a COCO file with videos, images and annotations`);
      }
      if (coco) files.set(split, coco);
    }
    const names = [...files.values()].flatMap((c) => c.videos.map((v) => v.name));
    return {
      files,
      entries: names.map((n) => ({ key: n, units: [`images/${n}`] })),
      merge(incoming) {
        const add = (incoming as { files?: Map<SplitName, CocoFile> } | undefined)?.files ?? new Map<SplitName, CocoFile>();
        const renamed = new Set([...add.values()].flatMap((c) => c.videos.map((v) => v.name)));
        const out = new Map<string, string>();
        let replaced = 0;
        for (const split of SPLIT_NAMES) {
          const old = files.get(split);
          const neu = add.get(split);
          if (!old && !neu) continue;
          const merged = emptyCoco();
          if (old) {
            const keep = old.videos.filter((v) => !renamed.has(v.name));
            replaced += old.videos.length - keep.length;
            appendVideos(merged, old, new Set(keep.map((v) => v.id)));
          }
          if (neu) appendVideos(merged, neu, new Set(neu.videos.map((v) => v.id)));
          out.set(`annotations/instances_${split}.json`, JSON.stringify(merged) + '\n');
        }
        return { files: out, replaced };
      },
    } as DatasetIndex & { files: Map<SplitName, CocoFile> };
  },
};

/** Appends `src`'s videos in `keep` (with their images and annotations) to `dst`, renumbering every id. */
function appendVideos(dst: CocoFile, src: CocoFile, keep: Set<number>): void {
  const videoMap = new Map<number, number>();
  const imageMap = new Map<number, number>();
  for (const v of src.videos) if (keep.has(v.id)) videoMap.set(v.id, dst.videos.push({ ...v, id: dst.videos.length + 1 }));
  for (const im of src.images) {
    const vid = videoMap.get(im.video_id);
    if (vid !== undefined) imageMap.set(im.id, dst.images.push({ ...im, id: dst.images.length + 1, video_id: vid }));
  }
  for (const a of src.annotations) {
    const image = imageMap.get(a.image_id);
    if (image !== undefined) dst.annotations.push({ ...a, id: dst.annotations.length + 1, image_id: image, video_id: videoMap.get(a.video_id)! });
  }
}

/** YouTube-VOS: `{split}/meta.json`; entries are videos owning their JPEGImages and Annotations folders. */
const ytvosIndex: LayoutIndex = {
  marker: 'meta.json',
  files: SPLIT_NAMES.map((s) => `${s}/meta.json`),
  read(dir) {
    const metas = new Map<SplitName, YtvosMeta>();
    for (const split of SPLIT_NAMES) {
      const meta = readJson<YtvosMeta>(path.join(dir, split, 'meta.json'));
      if (meta && (typeof meta.videos !== 'object' || meta.videos === null)) throw new DatasetWriteError(`${path.join(dir, split, 'meta.json')}: has no "videos" object`);
      if (meta) metas.set(split, meta);
    }
    const entries = [...metas].flatMap(([split, m]) => Object.keys(m.videos).map((v) => ({ key: v, units: [`${split}/JPEGImages/${v}`, `${split}/Annotations/${v}`] })));
    return {
      metas,
      entries,
      merge(incoming) {
        const add = (incoming as { metas?: Map<SplitName, YtvosMeta> } | undefined)?.metas ?? new Map<SplitName, YtvosMeta>();
        const renamed = new Set([...add.values()].flatMap((m) => Object.keys(m.videos)));
        const out = new Map<string, string>();
        let replaced = 0;
        for (const split of SPLIT_NAMES) {
          const videos: YtvosMeta['videos'] = {};
          for (const [v, o] of Object.entries(metas.get(split)?.videos ?? {})) {
            if (renamed.has(v)) replaced++;
            else videos[v] = o;
          }
          Object.assign(videos, add.get(split)?.videos ?? {});
          if (Object.keys(videos).length) out.set(`${split}/meta.json`, JSON.stringify({ videos }, null, 1) + '\n');
        }
        return { files: out, replaced };
      },
    } as DatasetIndex & { metas: Map<SplitName, YtvosMeta> };
  },
};

/** An AVSS dataset with other class indices cannot take our clips. */
function checkLabel2idx(dir: string): void {
  const file = path.join(dir, 'label2idx.json');
  const theirs = readJson<unknown>(file);
  if (theirs !== undefined && JSON.stringify(theirs, null, 2) + '\n' !== label2idxText()) {
    throw new DatasetWriteError(`${file}: class indices differ from the AVSS classes this app writes (refusing to merge)`);
  }
}

const s4Folder = (r: string[]): string => `${r[3]}/${r[2]}`;

export const LAYOUT_INDEX: Readonly<Record<DatasetFormat, LayoutIndex>> = {
  avss: csvIndex('metadata.csv', METADATA_HEADER, 1, (r) => [`${r[6]}/${r[1]}`], { 'label2idx.json': label2idxText() }, checkLabel2idx),
  s4: csvIndex(S4_CSV, S4_HEADER, 0, (r) => [
    `s4_data/visual_frames/${s4Folder(r)}/${r[0]}`, `s4_data/gt_masks/${s4Folder(r)}/${r[0]}`,
    `s4_data/audio_wav/${s4Folder(r)}/${r[0]}.wav`, `s4_data/audio_log_mel/${s4Folder(r)}/${r[0]}.pkl`,
  ]),
  ms3: csvIndex(MS3_CSV, MS3_HEADER, 0, (r) => [
    `ms3_data/visual_frames/${r[0]}`, `ms3_data/gt_masks/${r[1]}/${r[0]}`,
    `ms3_data/audio_wav/${r[1]}/${r[0]}.wav`, `ms3_data/audio_log_mel/${r[1]}/${r[0]}.pkl`,
  ]),
  voc: listIndex('ImageSets/Segmentation', (k) => [`JPEGImages/${k}.jpg`, `SegmentationClass/${k}.png`], { 'class_names.txt': AVSS_CLASSES.join('\n') + '\n' }),
  davis: listIndex('ImageSets/2017', (k) => [`JPEGImages/${DAVIS_RES}/${k}`, `Annotations/${DAVIS_RES}/${k}`]),
  ytvos: ytvosIndex,
  coco: cocoIndex,
};
