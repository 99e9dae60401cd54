/**
 * Importing a folder of per-frame label PNGs (palette, class-index grey or AVSS-colour RGB) into a project video.
 *
 * Naming rule: `{k}.png`, optionally zero-padded and optionally after a prefix ending in `_` or `-`
 * (`7.png`, `00007.png`, `myvideo_00007.png`), where k is the 0-based sampled frame (= second k of the video,
 * the frame the editor shows for it). Frames without a file are left as they are. Hidden files and folders are
 * skipped; any other file is an error, so a wrong folder (JPEG frames, say) is named at once.
 *
 * Two passes. checkMaskFolder reads and decodes every file before anything is written: a file that is not a
 * PNG, has the wrong size, uses a colour that is not an AVSS class colour or names no frame gives one line
 * `<file>: <problem>`, and the project is untouched. applyMaskFolder then commits one batch per frame (a new
 * revision of that frame, undoable like any edit): pixels become objects (one per AVSS class, an unlocked object
 * of that class is reused, else one is added), sounding in that second where they have pixels (AVSBench labels
 * only sounding objects); pixels of locked objects are kept (locked work is the annotator's).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { MaskImportSummary } from '../shared/ipc-contract';
import type { Edit, ObjectRaster, ProjectObject } from '../shared/project-model';
import { readClassMask, type ClassMap } from '../dataset/mask-import';
import { AppError } from '../pipeline/app-error';
import { throwIfAborted } from '../util/abort';
import { describeFsError } from '../util/fs-errors';
import { openRegularFile } from '../util/regular-file';
import type { Project } from './project';

/** `{k}.png`, `{k:05}.png`, `{prefix}_{k}.png`, `{prefix}-{k}.png` (case-insensitive extension). */
const MASK_NAME = /^(?:.*[_-])?(\d{1,7})\.png$/i;

export interface MaskFrameFile {
  frame: number;
  file: string;
  /** AVSS classes present (background excluded), in class order. */
  classes: number[];
}

export interface MaskFolderGeometry {
  frames: number;
  width: number;
  height: number;
}

const bad = (message: string): AppError => new AppError('bad-input', message);

async function readMaskFile(file: string, g: MaskFolderGeometry): Promise<ClassMap> {
  let bytes: Buffer;
  try {
    const handle = await openRegularFile(file, 'PNG');
    try {
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw bad(describeFsError(err, file));
  }
  let map: ClassMap;
  try {
    map = readClassMask(bytes, file, { unknownColour: 'error' });
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (map.width !== g.width || map.height !== g.height) throw bad(`${file}: is ${map.width}x${map.height}, the video's frames are ${g.width}x${g.height}`);
  return map;
}

/** The mask files of `dir` by frame (naming rule above); throws one line naming the first bad file. */
async function listMaskFiles(dir: string, frames: number): Promise<{ frame: number; file: string }[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw bad(describeFsError(err, dir));
  }
  const byFrame = new Map<number, string>();
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.isDirectory()) continue;
    const file = path.join(dir, entry.name);
    const m = MASK_NAME.exec(entry.name);
    if (!m) throw bad(`${file}: not a mask file name (expected {k}.png, {k:05}.png or {prefix}_{k}.png, k = the 0-based sampled frame)`);
    const frame = Number(m[1]);
    if (frame >= frames) throw bad(`${file}: frame ${frame} does not exist (the video has ${frames} sampled frames, 0..${frames - 1})`);
    const other = byFrame.get(frame);
    if (other) throw bad(`${file}: frame ${frame} already has a mask file, ${other}`);
    byFrame.set(frame, file);
  }
  if (byFrame.size === 0) throw bad(`${dir}: no mask PNGs in the folder (expected {k}.png per sampled frame k)`);
  return [...byFrame].sort((a, b) => a[0] - b[0]).map(([frame, file]) => ({ frame, file }));
}

/** Reads every mask file of `dir` against the video's sampled frames and size; nothing is written. */
export async function checkMaskFolder(dir: string, g: MaskFolderGeometry, signal?: AbortSignal): Promise<MaskFrameFile[]> {
  const out: MaskFrameFile[] = [];
  for (const { frame, file } of await listMaskFiles(dir, g.frames)) {
    throwIfAborted(signal);
    const map = await readMaskFile(file, g);
    const seen = new Uint8Array(256);
    for (let p = 0; p < map.data.length; p++) seen[map.data[p]!] = 1;
    const classes: number[] = [];
    for (let c = 1; c < AVSS_CLASSES.length; c++) if (seen[c]) classes.push(c);
    out.push({ frame, file, classes });
  }
  return out;
}

/** The smallest rectangle holding every pixel where `a` and `b` differ, or null when they are equal. */
function changedRect(a: Uint16Array, b: Uint16Array, width: number): { x: number; y: number; w: number; h: number } | null {
  let x0 = width, y0 = Infinity, x1 = -1, y1 = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const x = i % width, y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    y1 = y;
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

function cut(data: Uint16Array, width: number, r: { x: number; y: number; w: number; h: number }): Uint16Array<ArrayBuffer> {
  const out = new Uint16Array(r.w * r.h);
  for (let y = 0; y < r.h; y++) out.set(data.subarray((r.y + y) * width + r.x, (r.y + y) * width + r.x + r.w), y * r.w);
  return out;
}

/** Objects for the classes present: an unlocked object of the class is reused, else one is added. */
function objectsFor(project: Project, videoId: string, classes: Iterable<number>): { ofClass: Map<number, number>; adds: Edit[] } {
  const video = project.video(videoId);
  const ofClass = new Map<number, number>();
  for (const o of video.objects) if (!o.locked && !ofClass.has(o.classIndex)) ofClass.set(o.classIndex, o.id);
  const adds: Edit[] = [];
  let next = video.nextObjectId;
  let z = Math.max(0, ...video.objects.map((o) => o.z));
  for (const c of classes) {
    if (ofClass.has(c)) continue;
    const object: ProjectObject = { id: next++, classIndex: c, visible: true, locked: false, z: ++z, sounding: video.frames.map(() => false) };
    adds.push({ op: 'object:add', videoId, object });
    ofClass.set(c, object.id);
  }
  return { ofClass, adds };
}

/** The frame's new raster: the mask's objects, except where a locked object is (kept). */
function importedRaster(current: ObjectRaster, map: ClassMap, idOfClass: Uint16Array, locked: Uint8Array): Uint16Array {
  const out = new Uint16Array(current.data.length);
  for (let i = 0; i < out.length; i++) {
    const was = current.data[i]!;
    out[i] = locked[was] ? was : idOfClass[map.data[i]!]!;
  }
  return out;
}

/** Commits the checked files into the video, one batch (a new revision) per frame whose mask or flags change. */
export async function applyMaskFolder(project: Project, videoId: string, dir: string, files: readonly MaskFrameFile[], signal?: AbortSignal): Promise<MaskImportSummary> {
  const first = project.video(videoId);
  const g = { frames: first.frames.length, width: first.width, height: first.height };
  const classes = [...new Set(files.flatMap((f) => f.classes))].sort((a, b) => a - b);
  const { ofClass, adds } = objectsFor(project, videoId, classes);
  if (adds.length > 0) await project.commit(adds);
  const idOfClass = new Uint16Array(256);
  for (const [c, id] of ofClass) idOfClass[c] = id;
  let changed = 0;
  for (const { frame, file } of files) {
    throwIfAborted(signal);
    const video = project.video(videoId);
    const locked = new Uint8Array(65536);
    for (const o of video.objects) if (o.locked) locked[o.id] = 1;
    const { raster } = await project.raster(videoId, frame);
    const after = importedRaster(raster, await readMaskFile(file, g), idOfClass, locked);
    const edits: Edit[] = [];
    const rect = changedRect(raster.data, after, raster.width);
    if (rect) edits.push({ op: 'pixels', videoId, frame, rect, after: cut(after, raster.width, rect) });
    const present = new Uint8Array(65536);
    for (let i = 0; i < after.length; i++) present[after[i]!] = 1;
    for (const o of video.objects) {
      if (o.locked || o.sounding[frame] === Boolean(present[o.id])) continue;
      const sounding = [...o.sounding];
      sounding[frame] = Boolean(present[o.id]);
      edits.push({ op: 'object:update', videoId, objectId: o.id, changes: { sounding } });
    }
    if (edits.length === 0) continue;
    await project.commit(edits);
    changed++;
  }
  return { videoId, dir, frames: files.length, changed, objectsAdded: adds.length, classes: classes.map((c) => AVSS_CLASSES[c]!), revision: project.revision };
}

/** check + apply for a video already in the open project. */
export async function importMaskFolder(project: Project, videoId: string, dir: string, signal?: AbortSignal): Promise<MaskImportSummary> {
  const video = project.video(videoId);
  const files = await checkMaskFolder(dir, { frames: video.frames.length, width: video.width, height: video.height }, signal);
  return applyMaskFolder(project, videoId, dir, files, signal);
}
