/**
 * The annotation document: the one truth about a project's data, shared by main (storage, exports, CLI) and the
 * renderer (editor). Pure TypeScript: no Vue, Konva, Node or Electron (lint-enforced for src-main/shared).
 *
 * Every stored structure has exactly one valibot schema here; it gives the TypeScript type (`InferOutput`), the
 * runtime check and the error message (with the failing field's path) from one definition.
 *
 * Shape:
 *   project -> videos -> { sampled frames (the AVSBench rule: one per second, src-main/media/sampling.ts),
 *                          objects (stable id, AVSS class, sounding flag per second) }
 *   per sampled frame: an object-id raster at the video's display size (`ObjectRaster`, stored by the project
 *   layer, not in the manifest), the frame's review status, what made its mask and its revision number.
 * Pixel values of a raster are object ids: 0 = no object; each pixel belongs to at most one object (as in AVSS).
 * An object's colour is its class's palette colour (`objectColour`), never stored, so it cannot drift.
 */
import * as v from 'valibot';
import { AVSS_PALETTE, NUM_AVSS_CLASSES, type Rgb } from './avss-classes';

/** Bumped on every change to a stored schema; src-main/project/ holds one migration per earlier version. */
export const PROJECT_SCHEMA_VERSION = 1;

/** Largest object id: rasters are Uint16. */
export const MAX_OBJECT_ID = 65535;
export const MAX_NAME_LENGTH = 200;
/** Ids minted by main (project, video): also folder names, so no dots or separators. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const IdSchema = v.pipe(v.string(), v.regex(ID_PATTERN, 'must be an id (letters, digits, _ or -, at most 64)'));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Positive = v.pipe(v.number(), v.integer(), v.minValue(1));

export const REVIEW_STATES = ['unreviewed', 'edited', 'approved'] as const;
export const ReviewStatusSchema = v.picklist(REVIEW_STATES);
export type ReviewStatus = v.InferOutput<typeof ReviewStatusSchema>;

export const PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;

/** Who or what made a frame's current mask. */
export const MaskSourceSchema = v.variant('kind', [
  /** The model's pre-label (revision 0 of the frame). */
  v.strictObject({
    kind: v.literal('model'), model: v.pipe(v.string(), v.maxLength(200)), version: v.pipe(v.string(), v.maxLength(100)),
    provider: v.picklist(PROVIDERS),
  }),
  /** An annotator's edit (any revision after the pre-label). */
  v.strictObject({ kind: v.literal('edited') }),
  /** Read from an existing dataset (AVSBench, palette PNGs, COCO). */
  v.strictObject({ kind: v.literal('imported'), format: v.pipe(v.string(), v.maxLength(50)) }),
  /** Nothing yet: not pre-labelled, not edited. */
  v.strictObject({ kind: v.literal('none') }),
]);
export type MaskSource = v.InferOutput<typeof MaskSourceSchema>;

export const ObjectSchema = v.strictObject({
  /** Stable for the object's life; the value its pixels hold in every frame raster of its video. */
  id: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_OBJECT_ID)),
  /** AVSS class index, 1..70 (0 = background is not an object). */
  classIndex: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(NUM_AVSS_CLASSES - 1)),
  name: v.optional(v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH))),
  visible: v.boolean(),
  locked: v.boolean(),
  /** Drawing order: higher is drawn on top. */
  z: v.pipe(v.number(), v.integer()),
  /** One flag per sampled frame (= second): is the object heard then? Initialised from the pre-label. */
  sounding: v.array(v.boolean()),
});
export type ProjectObject = v.InferOutput<typeof ObjectSchema>;

export const FrameSchema = v.strictObject({
  /** Sampled-frame index (= the second it represents). */
  index: Count,
  /** Presentation time (s, from the first frame) of the sampled frame. */
  timeSec: v.pipe(v.number(), v.minValue(0)),
  review: ReviewStatusSchema,
  source: MaskSourceSchema,
  /** 0 = the pre-label (or the first mask); +1 per committed edit. */
  revision: Count,
  /**
   * Byte size of the frame's stored mask file (src-main/project/ layout), set when the file is written; absent:
   * no file (an empty raster). Lets an open spot a truncated or missing mask with one stat.
   */
  maskBytes: v.optional(Count),
});
export type FrameState = v.InferOutput<typeof FrameSchema>;

export const VideoFileSchema = v.strictObject({
  /** Absolute path when last seen; a moved video is found again by `size` + `fingerprint`. */
  path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  size: Count,
  /** Content fingerprint (hex): hash of the size and sampled blocks of the file. */
  fingerprint: v.pipe(v.string(), v.regex(/^[0-9a-f]{16,128}$/, 'must be a hex fingerprint')),
});
export type VideoFile = v.InferOutput<typeof VideoFileSchema>;

export const VideoDocSchema = v.strictObject({
  id: IdSchema,
  file: VideoFileSchema,
  durationSec: v.pipe(v.number(), v.minValue(0)),
  fps: v.pipe(v.number(), v.minValue(0)),
  /** Display size (rotation applied): the size of every raster of this video. */
  width: Positive,
  height: Positive,
  rotation: v.pipe(v.number(), v.integer()),
  hasAudio: v.boolean(),
  frames: v.array(FrameSchema),
  objects: v.array(ObjectSchema),
  /** Next id to give a new object (ids are never given to another object within a video; an undone delete brings its id back). */
  nextObjectId: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_OBJECT_ID + 1)),
});
export type VideoDoc = v.InferOutput<typeof VideoDocSchema>;

export const ProjectManifestSchema = v.strictObject({
  schemaVersion: v.literal(PROJECT_SCHEMA_VERSION),
  id: IdSchema,
  name: v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  videos: v.array(VideoDocSchema),
  /** Project-wide change counter this manifest includes (journal entries after it are replayed on open). */
  revision: v.optional(Count, 0),
});
export type ProjectManifest = v.InferOutput<typeof ProjectManifestSchema>;

/** Changes to one object's fields (id and pixels are changed by other operations). */
export const ObjectChangesSchema = v.partial(v.omit(ObjectSchema, ['id']));
export type ObjectChanges = v.InferOutput<typeof ObjectChangesSchema>;

/** A rectangle in raster pixels; x, y inclusive, w, h > 0. */
export const RectSchema = v.strictObject({ x: Count, y: Count, w: Positive, h: Positive });
export type Rect = v.InferOutput<typeof RectSchema>;

/**
 * One committed edit: what the renderer sends, what the journal stores, what undo/redo replays. A pixel patch
 * carries the rectangle's new object ids (`after`, little-endian Uint16, row-major, w*h values).
 */
export const EditSchema = v.variant('op', [
  v.strictObject({ op: v.literal('pixels'), videoId: IdSchema, frame: Count, rect: RectSchema, after: v.instance(Uint16Array) }),
  v.strictObject({ op: v.literal('object:add'), videoId: IdSchema, object: ObjectSchema }),
  v.strictObject({ op: v.literal('object:update'), videoId: IdSchema, objectId: Positive, changes: ObjectChangesSchema }),
  /** Removes the object and clears its pixels in every frame. */
  v.strictObject({ op: v.literal('object:delete'), videoId: IdSchema, objectId: Positive }),
  v.strictObject({ op: v.literal('frame:review'), videoId: IdSchema, frame: Count, review: ReviewStatusSchema }),
]);
export type Edit = v.InferOutput<typeof EditSchema>;

/** A sampled frame as the pre-label (or an import) writes it: its mask file is written before this is journalled. */
export const FrameWriteSchema = v.strictObject({
  index: Count, timeSec: v.pipe(v.number(), v.minValue(0)), source: MaskSourceSchema, maskBytes: v.optional(Count),
});

/**
 * Every change the document's journal records: the annotator's edits plus the changes main makes itself (a video
 * added or relinked, a pre-label's frames and objects). One schema, so replay validates what it reads.
 */
export const DocOpSchema = v.variant('op', [
  ...EditSchema.options,
  v.strictObject({ op: v.literal('video:add'), video: VideoDocSchema }),
  v.strictObject({ op: v.literal('video:relink'), videoId: IdSchema, file: VideoFileSchema }),
  /** Revision 0 of frames (their mask files already written) and the objects they show, replacing old ones. */
  v.strictObject({
    op: v.literal('frames:write'), videoId: IdSchema, frames: v.array(FrameWriteSchema), objects: v.array(ObjectSchema),
    nextObjectId: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_OBJECT_ID + 1)),
  }),
]);
export type DocOp = v.InferOutput<typeof DocOpSchema>;

/** One sampled frame's object ids, row-major, at the video's display size. */
export interface ObjectRaster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint16Array;
}

/** Parses `input` against `schema`; throws an Error naming `where` and the first failing field. */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown, where: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new Error(`${where}: ${describeIssue(result.issues[0])}`);
}

/** "videos[0].objects[2].classIndex: Invalid value ..." for the first issue of a failed parse. */
export function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (!issue) return 'invalid';
  const path = (issue.path ?? [])
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('')
    .replace(/^\./, '');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** The palette colour of an object's class (the same in the editor and every export). */
export function objectColour(object: Pick<ProjectObject, 'classIndex'>): Rgb {
  return AVSS_PALETTE[object.classIndex] ?? [255, 255, 255];
}

export function emptyRaster(width: number, height: number): ObjectRaster {
  return { width, height, data: new Uint16Array(width * height) };
}

/** Pixels per object id (0 excluded). */
export function pixelCounts(raster: ObjectRaster): Map<number, number> {
  const counts = new Map<number, number>();
  const { data } = raster;
  for (let i = 0; i < data.length; i++) {
    const id = data[i]!;
    if (id !== 0) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Copies the ids inside `rect` out of a raster (row-major, w*h values). */
export function readRect(raster: ObjectRaster, rect: Rect): Uint16Array {
  checkRect(raster, rect);
  const out = new Uint16Array(rect.w * rect.h);
  for (let row = 0; row < rect.h; row++) {
    const start = (rect.y + row) * raster.width + rect.x;
    out.set(raster.data.subarray(start, start + rect.w), row * rect.w);
  }
  return out;
}

/** Writes `values` (row-major, w*h) into `rect` of the raster, in place. */
export function writeRect(raster: ObjectRaster, rect: Rect, values: Uint16Array): void {
  checkRect(raster, rect);
  if (values.length !== rect.w * rect.h) throw new RangeError(`patch holds ${values.length} values, rect needs ${rect.w * rect.h}`);
  for (let row = 0; row < rect.h; row++) {
    raster.data.set(values.subarray(row * rect.w, (row + 1) * rect.w), (rect.y + row) * raster.width + rect.x);
  }
}

export function checkRect(raster: Pick<ObjectRaster, 'width' | 'height'>, rect: Rect): void {
  if (rect.x + rect.w > raster.width || rect.y + rect.h > raster.height) {
    throw new RangeError(`rect ${rect.x},${rect.y} ${rect.w}x${rect.h} is outside the ${raster.width}x${raster.height} raster`);
  }
}

/**
 * The AVSS class map of one sampled frame: each pixel gets its object's class index when that object sounds in
 * that second, else 0 (AVSBench labels sounding objects only). Every export flattens through this.
 */
export function flattenToClasses(raster: ObjectRaster, objects: readonly ProjectObject[], second: number): Uint8Array {
  const classOf = new Uint8Array(MAX_OBJECT_ID + 1);
  for (const object of objects) if (object.sounding[second]) classOf[object.id] = object.classIndex;
  const out = new Uint8Array(raster.data.length);
  for (let i = 0; i < out.length; i++) out[i] = classOf[raster.data[i]!]!;
  return out;
}

/** Objects that sound at least once in seconds [from, to): the classes a clip's `a_obj` lists. */
export function soundingClasses(objects: readonly ProjectObject[], from: number, to: number): number[] {
  const classes = new Set<number>();
  for (const object of objects) {
    for (let s = from; s < to; s++) if (object.sounding[s]) classes.add(object.classIndex);
  }
  return [...classes].sort((a, b) => a - b);
}
