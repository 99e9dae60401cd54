/**
 * validateAvssDataset: re-reads every file of an AVSS dataset and lists what is wrong, so an export can be
 * proven readable by the published loaders (and a user's existing dataset checked before we merge into it).
 * Checks: metadata.csv (header, columns, uid format and window, s_min/s_sec, split, label, a_obj names,
 * duplicate uids), label2idx.json, each clip folder (contiguous frames/labels, JPEG sizes, PNG sizes equal the
 * frame size, semantic indices < 71, every RGB colour in the palette and equal to the semantic index's colour),
 * audio.wav (RIFF header, PCM16 mono 16 kHz, length near the window), folders not in metadata, temp leftovers.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES, AVSS_PALETTE, label2idx, NUM_AVSS_CLASSES } from '../shared/avss-classes';
import { TEMP_PREFIX } from '../util/atomic-write';
import { jpegSize } from './jpeg-size';
import { metadataRows, parseMetadataCsv, type MetadataRow } from './metadata-csv';
import { decodePng } from './png';
import { parseWavHeader } from './wav';
import { WINDOW_FRAMES, type ClipLabel } from './window-rule';

const LABELS = ['v1s', 'v1m', 'v2'];
const SPLITS = ['train', 'val', 'test'];
const paletteKey = (r: number, g: number, b: number): number => (r << 16) | (g << 8) | b;
const PALETTE_INDEX = new Map(AVSS_PALETTE.map((c, i) => [paletteKey(c[0], c[1], c[2]), i]));

async function listIndexed(dir: string, ext: string): Promise<number | string> {
  const names = await fs.readdir(dir).catch(() => undefined);
  if (!names) return `missing folder ${path.basename(dir)}/`;
  const ks = names.filter((n) => !n.startsWith('.')).map((n) => (n.endsWith(ext) ? Number(n.slice(0, -ext.length)) : NaN));
  if (ks.some((k) => !Number.isInteger(k) || k < 0)) return `${path.basename(dir)}/ has files not named {k}${ext}`;
  ks.sort((a, b) => a - b);
  if (ks.some((k, i) => k !== i)) return `${path.basename(dir)}/ is not numbered 0..${ks.length - 1}`;
  return ks.length;
}

async function checkClip(root: string, row: MetadataRow, problems: string[]): Promise<void> {
  const dir = path.join(root, row.label, row.uid);
  const where = `${row.label}/${row.uid}`;
  const say = (p: string): void => void problems.push(`${where}: ${p}`);
  if (!(await fs.stat(dir).then((s) => s.isDirectory(), () => false))) return say('folder missing');
  const counts = await Promise.all([
    listIndexed(path.join(dir, 'frames'), '.jpg'),
    listIndexed(path.join(dir, 'labels_rgb'), '.png'),
    listIndexed(path.join(dir, 'labels_semantic'), '.png'),
  ]);
  for (const c of counts) if (typeof c === 'string') say(c);
  const [frames, rgbs, sems] = counts.map((c) => (typeof c === 'number' ? c : 0)) as [number, number, number];
  if (frames === 0) say('no frames');
  if (rgbs !== sems) say(`${rgbs} labels_rgb but ${sems} labels_semantic`);
  const win = /_(\d+)_(\d+)$/.exec(row.uid);
  const seconds = win ? (Number(win[2]) - Number(win[1])) / 1000 : NaN;
  // The published loaders read exactly 10 frames (v2) or 5 (v1s, v1m) per clip, one per second of the window.
  const want = WINDOW_FRAMES[row.label as ClipLabel];
  if (want !== undefined && frames !== want) say(`${frames} frames, ${row.label} clips have exactly ${want}`);
  if (row.label === 'v1s' && row.split === 'train' ? sems < 1 : sems !== frames) say(`${sems} labels for ${frames} frames`);
  let size: { width: number; height: number } | undefined;
  for (let k = 0; k < frames; k++) {
    try {
      const s = jpegSize(await fs.readFile(path.join(dir, 'frames', `${k}.jpg`)));
      if (size && (s.width !== size.width || s.height !== size.height)) say(`frames/${k}.jpg is ${s.width}x${s.height}, frame 0 is ${size.width}x${size.height}`);
      size ??= s;
    } catch (err) {
      say(`frames/${k}.jpg: ${(err as Error).message}`);
    }
  }
  for (let k = 0; k < Math.min(rgbs, sems); k++) {
    try {
      const sem = decodePng(await fs.readFile(path.join(dir, 'labels_semantic', `${k}.png`)));
      const rgb = decodePng(await fs.readFile(path.join(dir, 'labels_rgb', `${k}.png`)));
      if (sem.channels !== 1) say(`labels_semantic/${k}.png is not single-channel`);
      if (rgb.channels !== 3) say(`labels_rgb/${k}.png is not RGB`);
      for (const [name, img] of [['labels_semantic', sem], ['labels_rgb', rgb]] as const) {
        if (size && (img.width !== size.width || img.height !== size.height)) {
          say(`${name}/${k}.png is ${img.width}x${img.height}, frames are ${size.width}x${size.height}`);
        }
      }
      if (sem.channels !== 1 || rgb.channels !== 3 || sem.width !== rgb.width || sem.height !== rgb.height) continue;
      let badIndex = 0, badColour = 0, mismatch = 0;
      for (let p = 0; p < sem.data.length; p++) {
        const c = sem.data[p]!;
        if (c >= NUM_AVSS_CLASSES) badIndex++;
        const r = rgb.data[p * 3]!, g = rgb.data[p * 3 + 1]!, b = rgb.data[p * 3 + 2]!;
        const want = AVSS_PALETTE[c];
        if (want && want[0] === r && want[1] === g && want[2] === b) continue; // fast path: consistent pixel
        const idx = PALETTE_INDEX.get(paletteKey(r, g, b));
        if (idx === undefined) badColour++;
        else if (idx !== c) mismatch++;
      }
      if (badIndex) say(`labels_semantic/${k}.png has ${badIndex} pixels with class index >= ${NUM_AVSS_CLASSES}`);
      if (badColour) say(`labels_rgb/${k}.png has ${badColour} pixels whose colour is not in the palette`);
      if (mismatch) say(`labels_rgb/${k}.png disagrees with labels_semantic/${k}.png on ${mismatch} pixels`);
    } catch (err) {
      say(`label ${k}: ${(err as Error).message}`);
    }
  }
  try {
    const wav = parseWavHeader(await fs.readFile(path.join(dir, 'audio.wav')));
    if (wav.format !== 1 || wav.bitsPerSample !== 16) say(`audio.wav is not PCM16 (format ${wav.format}, ${wav.bitsPerSample} bits)`);
    if (wav.channels !== 1) say(`audio.wav has ${wav.channels} channels, expected mono`);
    if (wav.sampleRate !== 16000) say(`audio.wav is ${wav.sampleRate} Hz, expected 16000`);
    if (Number.isFinite(seconds) && Math.abs(wav.frames / wav.sampleRate - seconds) > 1) {
      say(`audio.wav lasts ${(wav.frames / wav.sampleRate).toFixed(2)} s for a ${seconds} s window`);
    }
  } catch (err) {
    say(`audio.wav: ${(err as Error).message}`);
  }
}

function checkRow(row: MetadataRow, n: number, problems: string[]): void {
  const say = (p: string): void => void problems.push(`metadata.csv row ${n}: ${p}`);
  const m = /^(.*)_(\d+)_(\d+)$/.exec(row.uid);
  if (!m || m[1] !== row.vid) return say(`uid "${row.uid}" is not {vid}_{startMs}_{endMs} for vid "${row.vid}"`);
  const start = Number(m[2]);
  if (Number(m[3]) <= start) say(`uid "${row.uid}" ends before it starts`);
  const want = WINDOW_FRAMES[row.label as ClipLabel];
  const seconds = (Number(m[3]) - start) / 1000;
  if (want !== undefined && seconds !== want) say(`${row.uid}: uid spans ${seconds} s, ${row.label} clips span exactly ${want} s`);
  const sec = Math.floor(start / 1000);
  if (row.s_min !== Math.floor(sec / 60) || row.s_sec !== sec % 60) say(`s_min,s_sec ${row.s_min},${row.s_sec} do not match ${start} ms`);
  if (!SPLITS.includes(row.split)) say(`split "${row.split}" is not train|val|test`);
  if (!LABELS.includes(row.label)) say(`label "${row.label}" is not v1s|v1m|v2`);
  const unknown = row.a_obj.split('_').filter((name) => name && !AVSS_CLASSES.includes(name));
  if (unknown.length) say(`a_obj has unknown classes: ${unknown.join(', ')}`);
}

/** Lists every problem found under `root` (empty list = valid). Never throws for dataset content. */
export async function validateAvssDataset(root: string): Promise<string[]> {
  const problems: string[] = [];
  let rows: MetadataRow[] = [];
  try {
    rows = metadataRows(parseMetadataCsv(await fs.readFile(path.join(root, 'metadata.csv')), 'metadata.csv'));
  } catch (err) {
    problems.push((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'metadata.csv missing' : (err as Error).message);
  }
  try {
    const theirs: unknown = JSON.parse(await fs.readFile(path.join(root, 'label2idx.json'), 'utf8'));
    if (JSON.stringify(theirs) !== JSON.stringify(label2idx())) problems.push('label2idx.json differs from the AVSS class list');
  } catch (err) {
    problems.push(`label2idx.json: ${(err as Error).message}`);
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (seen.has(row.uid)) problems.push(`metadata.csv row ${i + 1}: duplicate uid ${row.uid}`);
    seen.add(row.uid);
    checkRow(row, i + 1, problems);
  });
  for (const row of rows) if (LABELS.includes(row.label)) await checkClip(root, row, problems);
  for (const label of LABELS) {
    const names = await fs.readdir(path.join(root, label)).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) problems.push(`${label}/${name}: leftover temporary folder`);
      else if (!rows.some((r) => r.label === label && r.uid === name)) problems.push(`${label}/${name}: not listed in metadata.csv`);
    }
  }
  const top = await fs.readdir(root).catch(() => [] as string[]);
  for (const name of top) if (name.startsWith(TEMP_PREFIX)) problems.push(`${name}: leftover temporary file`);
  return problems;
}
