/**
 * AVSS exporter (AVSBench-semantic v2 layout, see ../shared/reference/avsbench.md):
 *   {root}/metadata.csv, {root}/label2idx.json,
 *   {root}/{label}/{uid}/frames/{k}.jpg, labels_rgb/{k}.png (palette colours), labels_semantic/{k}.png (indices),
 *   audio.wav (16 kHz mono PCM16);  uid = {vid}_{startMs}_{endMs}.
 * Safety: the existing metadata.csv is parsed before anything is written (a corrupt one aborts the export
 * untouched); each clip is built in a temp folder and renamed into place; metadata.csv and label2idx.json are
 * replaced atomically; exports into the same root from this process are serialised.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES, AVSS_PALETTE, label2idx, NUM_AVSS_CLASSES } from '../shared/avss-classes';
import type { DatasetSplit } from '../shared/ipc-contract';
import { atomicWriteDir, atomicWriteFile, fsyncFile, writeFileDurable } from '../util/atomic-write';
import { throwIfAborted } from '../util/abort';
import { mergeMetadata, parseMetadataCsv, type MetadataRow, type ParsedMetadata } from './metadata-csv';
import { encodePng } from './png';
import { encodeWavPcm16 } from './wav';

export type AvssLabel = 'v1s' | 'v1m' | 'v2';

export interface AvssClip {
  /** Source video id: the video's file stem. */
  vid: string;
  /** Window in the video (ms, relative to its first frame). */
  startMs: number;
  endMs: number;
  split: DatasetSplit;
  /** Sub-folder: v2 for new annotations (default). */
  label?: AvssLabel;
  /** Frame and mask size (display size). */
  width: number;
  height: number;
  /** Class-index masks [height * width] for frames 0..n-1 (n <= frame count; v1s train labels only frame 0). */
  masks: readonly Uint8Array[];
  /** JPEG frames: files to copy in order, or a writer that puts `{k}.jpg` into the folder it is given. */
  frames: readonly string[] | ((framesDir: string) => Promise<void>);
  /** Mono audio of the window. */
  audio: Float32Array;
  sampleRate?: number;
  /** Sounding class names for a_obj; default: classes present in the masks, in class order. */
  soundingClasses?: readonly string[];
}

export interface AvssExportResult {
  outDir: string;
  uids: string[];
  filesWritten: number;
  rowsAdded: number;
  rowsReplaced: number;
}

export class AvssExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AvssExportError';
  }
}

/** `{vid}_{startMs}_{endMs}` with whole milliseconds, as AVSBench names clip folders. */
export function clipUid(vid: string, startMs: number, endMs: number): string {
  return `${vid}_${Math.round(startMs)}_${Math.round(endMs)}`;
}

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

function soundingNames(clip: AvssClip): string[] {
  if (clip.soundingClasses) return [...clip.soundingClasses];
  const seen = new Uint8Array(256);
  for (const m of clip.masks) for (let p = 0; p < m.length; p++) seen[m[p]!] = 1;
  return AVSS_CLASSES.filter((_, c) => c > 0 && seen[c] === 1);
}

function checkClip(clip: AvssClip): void {
  const uid = clipUid(clip.vid, clip.startMs, clip.endMs);
  const fail = (problem: string): never => {
    throw new AvssExportError(`${uid}: ${problem}`);
  };
  if (!clip.vid || /[\\/\0]/.test(clip.vid)) fail('vid must be a file stem without path separators');
  if (!(clip.startMs >= 0) || !(clip.endMs > clip.startMs)) fail(`bad window ${clip.startMs}..${clip.endMs} ms`);
  if (clip.masks.length === 0) fail('no masks');
  clip.masks.forEach((m, k) => {
    if (m.length !== clip.width * clip.height) fail(`mask ${k} has ${m.length} pixels, expected ${clip.width}x${clip.height}`);
    for (let p = 0; p < m.length; p++) if (m[p]! >= NUM_AVSS_CLASSES) fail(`mask ${k} has class index ${m[p]} (max ${NUM_AVSS_CLASSES - 1})`);
  });
  if (Array.isArray(clip.frames) && clip.frames.length < clip.masks.length) fail('fewer frames than masks');
  for (const name of clip.soundingClasses ?? []) if (!AVSS_CLASSES.includes(name)) fail(`unknown class "${name}"`);
}

async function readExisting(file: string): Promise<ParsedMetadata | undefined> {
  const bytes = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  return bytes ? parseMetadataCsv(bytes, file) : undefined;
}

async function ensureLabel2idx(root: string): Promise<boolean> {
  const file = path.join(root, 'label2idx.json');
  const ours = label2idx();
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    await atomicWriteFile(file, JSON.stringify(ours, null, 2) + '\n');
    return true;
  }
  let theirs: unknown;
  try {
    theirs = JSON.parse(text);
  } catch {
    throw new AvssExportError(`${file}: not valid JSON (refusing to export into this dataset)`);
  }
  if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
    throw new AvssExportError(`${file}: class indices differ from the AVSS classes this app writes`);
  }
  return false;
}

async function writeClipFolder(dir: string, clip: AvssClip): Promise<number> {
  const sub = (name: string): string => path.join(dir, name);
  await Promise.all(['frames', 'labels_rgb', 'labels_semantic'].map((d) => fs.mkdir(sub(d))));
  let files = 0;
  if (typeof clip.frames === 'function') {
    await clip.frames(sub('frames'));
    const names = await fs.readdir(sub('frames'));
    await Promise.all(names.map((n) => fsyncFile(path.join(sub('frames'), n))));
    files += names.length;
  } else {
    for (const [k, src] of clip.frames.entries()) {
      const dest = path.join(sub('frames'), `${k}.jpg`);
      await fs.copyFile(src, dest);
      await fsyncFile(dest);
      files++;
    }
  }
  for (const [k, mask] of clip.masks.entries()) {
    await writeFileDurable(path.join(sub('labels_semantic'), `${k}.png`), encodePng(clip.width, clip.height, 1, mask));
    await writeFileDurable(path.join(sub('labels_rgb'), `${k}.png`), encodePng(clip.width, clip.height, 3, semanticToRgb(mask)));
    files += 2;
  }
  await writeFileDurable(sub('audio.wav'), encodeWavPcm16(clip.audio, clip.sampleRate ?? 16000));
  return files + 1;
}

const locks = new Map<string, Promise<unknown>>();

/** Exports clips into `root` (created if needed), merging metadata.csv. */
export async function exportAvssClips(root: string, clips: readonly AvssClip[], signal?: AbortSignal): Promise<AvssExportResult> {
  const key = path.resolve(root);
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => exportLocked(key, clips, signal));
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

async function exportLocked(root: string, clips: readonly AvssClip[], signal?: AbortSignal): Promise<AvssExportResult> {
  clips.forEach(checkClip);
  const metaFile = path.join(root, 'metadata.csv');
  await fs.mkdir(root, { recursive: true });
  const existing = await readExisting(metaFile); // throws before anything is written
  let files = (await ensureLabel2idx(root)) ? 1 : 0;
  const rows: MetadataRow[] = [];
  for (const clip of clips) {
    throwIfAborted(signal);
    const uid = clipUid(clip.vid, clip.startMs, clip.endMs);
    const label = clip.label ?? 'v2';
    await atomicWriteDir(path.join(root, label, uid), async (tmp) => {
      files += await writeClipFolder(tmp, clip);
    });
    const startSec = Math.floor(Math.round(clip.startMs) / 1000);
    rows.push({
      vid: clip.vid, uid, s_min: Math.floor(startSec / 60), s_sec: startSec % 60,
      a_obj: soundingNames(clip).join('_'), split: clip.split, label,
    });
  }
  const merged = mergeMetadata(existing, rows);
  await atomicWriteFile(metaFile, merged.text);
  return { outDir: root, uids: rows.map((r) => r.uid), filesWritten: files + 1, rowsAdded: merged.added, rowsReplaced: merged.replaced };
}
