/**
 * Applying changes to the in-memory document: every op is checked against the current state first (the checks
 * `mask:save` made, now per object: the frame exists, the patch fits the raster and carries exactly w*h ids,
 * every id is 0 or an object of that video, locked objects keep their pixels, sounding flags cover every
 * frame), and a batch applies all-or-nothing. Pure logic over the manifest and already-loaded rasters; the
 * project (project.ts) loads rasters, journals the batch and saves.
 */
import type { DocOp, ObjectRaster, ProjectManifest, VideoDoc } from '../shared/project-model';
import { checkRect, readRect, writeRect } from '../shared/project-model';
import { AppError } from '../pipeline/app-error';

/** The rasters a batch touches, loaded before it is applied. */
export interface RasterAccess {
  raster(videoId: string, frame: number): ObjectRaster;
  /** Called for every raster a batch changed. */
  changed(videoId: string, frame: number): void;
}

const bad = (message: string): AppError => new AppError('bad-input', message);

export function findVideo(manifest: ProjectManifest, videoId: string): VideoDoc {
  const video = manifest.videos.find((v) => v.id === videoId);
  if (!video) throw new AppError('not-found', `the project has no video ${videoId}`);
  return video;
}

function frameOf(video: VideoDoc, frame: number): VideoDoc['frames'][number] {
  const state = video.frames[frame];
  if (!state) throw bad(`frame ${frame} does not exist (${video.file.path} has ${video.frames.length} sampled frames)`);
  return state;
}

/** Frames whose raster an op needs loaded. */
export function rastersNeeded(op: DocOp): { videoId: string; frame: number }[] {
  return op.op === 'pixels' ? [{ videoId: op.videoId, frame: op.frame }] : [];
}

function checkPixels(video: VideoDoc, op: Extract<DocOp, { op: 'pixels' }>, raster: ObjectRaster): void {
  frameOf(video, op.frame);
  try {
    checkRect(raster, op.rect);
  } catch (err) {
    throw bad(`pixels: ${(err as Error).message}`);
  }
  if (op.after.length !== op.rect.w * op.rect.h) throw bad(`pixels: the patch holds ${op.after.length} ids, the rect needs ${op.rect.w * op.rect.h}`);
  const known = new Set(video.objects.map((o) => o.id));
  const locked = new Set(video.objects.filter((o) => o.locked).map((o) => o.id));
  const before = readRect(raster, op.rect);
  for (let i = 0; i < op.after.length; i++) {
    const id = op.after[i]!;
    if (id !== 0 && !known.has(id)) throw bad(`pixels: object ${id} does not exist in video ${video.id}`);
    if (id !== before[i] && (locked.has(id) || locked.has(before[i]!))) throw bad(`pixels: object ${locked.has(id) ? id : before[i]} is locked`);
  }
}

function checkSounding(video: VideoDoc, sounding: readonly boolean[] | undefined, objectId: number): void {
  if (sounding && sounding.length !== video.frames.length) {
    throw bad(`object ${objectId}: sounding has ${sounding.length} flags, the video has ${video.frames.length} seconds`);
  }
}

interface Applied {
  /** Frames whose mask revision moved. */
  frames: number[];
  /** Puts back what the op changed (a batch that fails later is rolled back op by op, newest first). */
  undo: () => void;
}

const keepFrame = (frame: VideoDoc['frames'][number]): (() => void) => {
  const saved = structuredClone(frame);
  return () => {
    for (const key of Object.keys(frame)) delete (frame as Record<string, unknown>)[key];
    Object.assign(frame, saved);
  };
};

/** Applies one op in place (after its checks). Undo data is kept per op, so a commit costs what the op touches. */
function applyOne(manifest: ProjectManifest, op: DocOp, rasters: RasterAccess): Applied {
  if (op.op === 'video:add') {
    if (manifest.videos.some((v) => v.id === op.video.id)) throw bad(`video ${op.video.id} is already in the project`);
    manifest.videos.push(structuredClone(op.video));
    return { frames: [], undo: () => void manifest.videos.pop() };
  }
  const video = findVideo(manifest, op.videoId);
  switch (op.op) {
    case 'pixels': {
      frameOf(video, op.frame);
      const raster = rasters.raster(video.id, op.frame);
      checkPixels(video, op, raster);
      const before = readRect(raster, op.rect);
      const frame = video.frames[op.frame]!;
      const restoreFrame = keepFrame(frame);
      writeRect(raster, op.rect, op.after);
      rasters.changed(video.id, op.frame);
      frame.revision += 1;
      frame.source = { kind: 'edited' };
      frame.review = 'edited';
      return { frames: [op.frame], undo: () => { writeRect(raster, op.rect, before); restoreFrame(); } };
    }
    case 'object:add': {
      const { object } = op;
      if (video.objects.some((o) => o.id === object.id)) throw bad(`object ${object.id} already exists in video ${video.id}`);
      // An id below nextObjectId that is not present is a deleted object coming back (the undo of a delete or a
      // merge): its pixels on frames not rewritten since still hold it. A new object must take nextObjectId or above.
      checkSounding(video, object.sounding, object.id);
      const next = video.nextObjectId;
      video.objects.push(structuredClone(object));
      video.nextObjectId = Math.max(next, object.id + 1);
      return { frames: [], undo: () => { video.objects.pop(); video.nextObjectId = next; } };
    }
    case 'object:update': {
      const object = video.objects.find((o) => o.id === op.objectId);
      if (!object) throw bad(`object ${op.objectId} does not exist in video ${video.id}`);
      checkSounding(video, op.changes.sounding, op.objectId);
      const saved = structuredClone(object);
      Object.assign(object, structuredClone(op.changes));
      return { frames: [], undo: () => void Object.assign(object, saved) };
    }
    case 'object:delete': {
      // A deleted id never names another object (new ones take nextObjectId), so pixels still holding it are read
      // as 0 when a raster loads (project.ts) instead of rewriting every frame now; only its undo brings it back.
      const at = video.objects.findIndex((o) => o.id === op.objectId);
      if (at < 0) throw bad(`object ${op.objectId} does not exist in video ${video.id}`);
      if (video.objects[at]!.locked) throw bad(`object ${op.objectId} is locked`);
      const [removed] = video.objects.splice(at, 1);
      return { frames: [], undo: () => void video.objects.splice(at, 0, removed!) };
    }
    case 'frame:review': {
      const frame = frameOf(video, op.frame);
      const review = frame.review;
      frame.review = op.review;
      return { frames: [], undo: () => { frame.review = review; } };
    }
    case 'video:relink': {
      const file = video.file;
      video.file = op.file;
      return { frames: [], undo: () => { video.file = file; } };
    }
    case 'frames:write': {
      const restores = op.frames.map((written) => keepFrame(frameOf(video, written.index)));
      const objects = video.objects;
      const next = video.nextObjectId;
      for (const written of op.frames) {
        const frame = frameOf(video, written.index);
        frame.timeSec = written.timeSec;
        frame.source = written.source;
        frame.revision = 0;
        frame.review = 'unreviewed';
        if (written.maskBytes === undefined) delete frame.maskBytes;
        else frame.maskBytes = written.maskBytes;
      }
      video.objects = structuredClone(op.objects);
      video.nextObjectId = op.nextObjectId;
      return {
        frames: op.frames.map((f) => f.index),
        undo: () => { restores.forEach((r) => r()); video.objects = objects; video.nextObjectId = next; },
      };
    }
  }
}

/** Applies a batch all-or-nothing: on any failed check every op already applied is undone and the error (naming the op) thrown. */
export function applyBatch(manifest: ProjectManifest, ops: readonly DocOp[], rasters: RasterAccess): Map<string, number[]> {
  const undo: (() => void)[] = [];
  const touched = new Map<string, number[]>();
  try {
    ops.forEach((op, i) => {
      try {
        const applied = applyOne(manifest, op, rasters);
        undo.push(applied.undo);
        if ('videoId' in op) touched.set(op.videoId, [...(touched.get(op.videoId) ?? []), ...applied.frames]);
      } catch (err) {
        if (err instanceof AppError) throw new AppError(err.code, ops.length > 1 ? `edit ${i + 1} of ${ops.length} (${op.op}): ${err.message}` : err.message);
        throw err;
      }
    });
  } catch (err) {
    for (const step of undo.reverse()) step();
    throw err;
  }
  return touched;
}
