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

/** Applies one op in place (after its checks); returns the frames whose mask revision moved. */
function applyOne(manifest: ProjectManifest, op: DocOp, rasters: RasterAccess): number[] {
  if (op.op === 'video:add') {
    if (manifest.videos.some((v) => v.id === op.video.id)) throw bad(`video ${op.video.id} is already in the project`);
    manifest.videos.push(op.video);
    return [];
  }
  const video = findVideo(manifest, op.videoId);
  switch (op.op) {
    case 'pixels': {
      const raster = rasters.raster(video.id, op.frame);
      checkPixels(video, op, raster);
      writeRect(raster, op.rect, op.after);
      rasters.changed(video.id, op.frame);
      const frame = video.frames[op.frame]!;
      frame.revision += 1;
      frame.source = { kind: 'edited' };
      frame.review = 'edited';
      return [op.frame];
    }
    case 'object:add': {
      const { object } = op;
      if (video.objects.some((o) => o.id === object.id)) throw bad(`object ${object.id} already exists in video ${video.id}`);
      if (object.id < video.nextObjectId) throw bad(`object id ${object.id} was used before (next free id: ${video.nextObjectId})`);
      checkSounding(video, object.sounding, object.id);
      video.objects.push(structuredClone(object));
      video.nextObjectId = object.id + 1;
      return [];
    }
    case 'object:update': {
      const object = video.objects.find((o) => o.id === op.objectId);
      if (!object) throw bad(`object ${op.objectId} does not exist in video ${video.id}`);
      checkSounding(video, op.changes.sounding, op.objectId);
      Object.assign(object, structuredClone(op.changes));
      return [];
    }
    case 'object:delete': {
      // Ids are never reused, so pixels still holding a deleted id are read as 0 when a raster loads (project.ts)
      // instead of rewriting every frame of the video now.
      const at = video.objects.findIndex((o) => o.id === op.objectId);
      if (at < 0) throw bad(`object ${op.objectId} does not exist in video ${video.id}`);
      if (video.objects[at]!.locked) throw bad(`object ${op.objectId} is locked`);
      video.objects.splice(at, 1);
      return [];
    }
    case 'frame:review':
      frameOf(video, op.frame).review = op.review;
      return [];
    case 'video:relink':
      video.file = op.file;
      return [];
    case 'frames:write':
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
      return op.frames.map((f) => f.index);
  }
}

/**
 * Applies a batch all-or-nothing: on any failed check the manifest and every touched raster are restored and
 * the error (naming the op) is thrown.
 */
export function applyBatch(manifest: ProjectManifest, ops: readonly DocOp[], rasters: RasterAccess): Map<string, number[]> {
  // Only the videos the batch names are copied for the rollback (a 1-hour video's frames clone in ~1 ms).
  const ids = new Set(ops.flatMap((op) => ('videoId' in op ? [op.videoId] : [])));
  const videoCount = manifest.videos.length;
  const before = new Map(manifest.videos.filter((v) => ids.has(v.id)).map((v) => [v.id, structuredClone(v)]));
  const patched: { raster: ObjectRaster; rect: Extract<DocOp, { op: 'pixels' }>['rect']; before: Uint16Array }[] = [];
  const touched = new Map<string, number[]>();
  try {
    ops.forEach((op, i) => {
      try {
        if (op.op === 'pixels' && frameOf(findVideo(manifest, op.videoId), op.frame)) {
          const raster = rasters.raster(op.videoId, op.frame);
          if (op.rect.x + op.rect.w <= raster.width && op.rect.y + op.rect.h <= raster.height) {
            patched.push({ raster, rect: op.rect, before: readRect(raster, op.rect) });
          }
        }
        const frames = applyOne(manifest, op, rasters);
        if ('videoId' in op) touched.set(op.videoId, [...(touched.get(op.videoId) ?? []), ...frames]);
      } catch (err) {
        if (err instanceof AppError) throw new AppError(err.code, ops.length > 1 ? `edit ${i + 1} of ${ops.length} (${op.op}): ${err.message}` : err.message);
        throw err;
      }
    });
  } catch (err) {
    for (const p of patched.reverse()) writeRect(p.raster, p.rect, p.before);
    manifest.videos.splice(videoCount);
    manifest.videos.forEach((v, i) => {
      const saved = before.get(v.id);
      if (saved) manifest.videos[i] = saved;
    });
    throw err;
  }
  return touched;
}
