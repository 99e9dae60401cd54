/**
 * The editor's copy of one video of the project document: object table, frame states and the per-frame
 * object-id rasters (the truth the canvases are derived from). Plain TypeScript, no Vue/Konva/Pinia (lint).
 *
 * Every change goes through this class so that listeners learn exactly what changed: `pixels` with the frame and
 * the dirty rectangle (views repaint that rectangle only), `objects`, `frames`. Committed edits are also passed
 * to the `edit` listeners as project-model `Edit` ops (what main's journal stores).
 *
 * Rasters: a frame's raster is created empty on first use, or installed by `setRaster` when loaded from main.
 * A frame with edits main has not acknowledged is dirty and is never evicted (`evictClean`).
 */
import {
  emptyRaster, readRect, writeRect, type Edit, type FrameState, type ObjectRaster, type ProjectObject, type Rect, type ReviewStatus,
} from '../../src-main/shared/project-model';

export interface VideoMeta {
  id: string;
  width: number;
  height: number;
  frames: FrameState[];
  objects: ProjectObject[];
  nextObjectId: number;
}

/** RGBA pixels of a decoded frame image (magic wand input), at the raster's size. */
export interface FrameImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface DocumentEvents {
  pixels: (frame: number, rect: Rect) => void;
  objects: () => void;
  frames: () => void;
  edit: (edit: Edit) => void;
}

type Listeners = { [K in keyof DocumentEvents]: Set<DocumentEvents[K]> };

export class EditorDocument {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  private frameStates: FrameState[];
  private objectList: ProjectObject[];
  private nextId: number;
  private readonly rasters = new Map<number, ObjectRaster>();
  private readonly images = new Map<number, FrameImage>();
  private readonly dirty = new Set<number>();
  private readonly listeners: Listeners = { pixels: new Set(), objects: new Set(), frames: new Set(), edit: new Set() };

  constructor(meta: VideoMeta) {
    this.id = meta.id;
    this.width = meta.width;
    this.height = meta.height;
    this.frameStates = meta.frames.map((f) => ({ ...f }));
    this.objectList = meta.objects.map((o) => ({ ...o, sounding: [...o.sounding] }));
    this.nextId = meta.nextObjectId;
  }

  on<K extends keyof DocumentEvents>(event: K, listener: DocumentEvents[K]): () => void {
    (this.listeners[event] as Set<DocumentEvents[K]>).add(listener);
    return () => { (this.listeners[event] as Set<DocumentEvents[K]>).delete(listener); };
  }

  private emit<K extends keyof DocumentEvents>(event: K, ...args: Parameters<DocumentEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: Parameters<DocumentEvents[K]>) => void)(...args);
  }

  get frameCount(): number {
    return this.frameStates.length;
  }

  get frames(): readonly FrameState[] {
    return this.frameStates;
  }

  /** Objects bottom to top (ascending z, then id). */
  get objects(): readonly ProjectObject[] {
    return this.objectList;
  }

  object(id: number): ProjectObject | undefined {
    return this.objectList.find((o) => o.id === id);
  }

  /** True when painting may change pixels of object `id` (0 = background is always writable). */
  writable(id: number): boolean {
    if (id === 0) return true;
    const object = this.object(id);
    return object ? object.visible && !object.locked : true;
  }

  raster(frame: number): ObjectRaster {
    let raster = this.rasters.get(frame);
    if (!raster) {
      raster = emptyRaster(this.width, this.height);
      this.rasters.set(frame, raster);
    }
    return raster;
  }

  hasRaster(frame: number): boolean {
    return this.rasters.has(frame);
  }

  /** Installs a raster loaded from main (not an edit: no history, no `edit` event). Refused over unsaved edits. */
  setRaster(frame: number, raster: ObjectRaster): boolean {
    if (this.dirty.has(frame)) return false;
    if (raster.width !== this.width || raster.height !== this.height) {
      throw new RangeError(`raster is ${raster.width}x${raster.height}, the video is ${this.width}x${this.height}`);
    }
    this.rasters.set(frame, raster);
    this.emit('pixels', frame, { x: 0, y: 0, w: this.width, h: this.height });
    return true;
  }

  frameImage(frame: number): FrameImage | undefined {
    return this.images.get(frame);
  }

  setFrameImage(frame: number, image: FrameImage): void {
    this.images.set(frame, image);
  }

  /** Frames with edits that main has not acknowledged yet. */
  get dirtyFrames(): ReadonlySet<number> {
    return this.dirty;
  }

  /** Main has made frame `frame` durable up to now. */
  markSaved(frame: number): void {
    this.dirty.delete(frame);
  }

  /** Drops clean rasters not in `keep`; dirty frames always stay. Returns the frames dropped. */
  evictClean(keep: ReadonlySet<number>): number[] {
    const dropped: number[] = [];
    for (const frame of this.rasters.keys()) {
      if (!keep.has(frame) && !this.dirty.has(frame)) dropped.push(frame);
    }
    for (const frame of dropped) {
      this.rasters.delete(frame);
      this.images.delete(frame);
    }
    return dropped;
  }

  /** Writes a committed pixel patch (a tool's stroke, an undo or a redo). */
  applyPixels(frame: number, rect: Rect, values: Uint16Array<ArrayBuffer>): void {
    writeRect(this.raster(frame), rect, values);
    this.dirty.add(frame);
    this.bumpRevision(frame);
    this.emit('pixels', frame, rect);
    this.emit('edit', { op: 'pixels', videoId: this.id, frame, rect, after: values });
  }

  /** A tool's live change before it commits: views repaint, nothing is sent or recorded yet. */
  notifyLive(frame: number, rect: Rect): void {
    this.emit('pixels', frame, rect);
  }

  /** A live stroke (already in the raster) is committed: it becomes an edit main must store. */
  commitLive(frame: number, rect: Rect): void {
    this.dirty.add(frame);
    this.bumpRevision(frame);
    this.emit('edit', { op: 'pixels', videoId: this.id, frame, rect, after: readRect(this.raster(frame), rect) as Uint16Array<ArrayBuffer> });
  }

  mintObjectId(): number {
    return this.nextId++;
  }

  /** Replaces the object table (add, update, delete, reorder, undo of those); emits one edit per difference. */
  setObjects(next: readonly ProjectObject[]): void {
    const before = new Map(this.objectList.map((o) => [o.id, o]));
    const after = new Map(next.map((o) => [o.id, o]));
    for (const [id, object] of after) {
      const old = before.get(id);
      if (!old) this.emit('edit', { op: 'object:add', videoId: this.id, object });
      else if (JSON.stringify(old) !== JSON.stringify(object)) {
        const { id: _id, ...changes } = object;
        this.emit('edit', { op: 'object:update', videoId: this.id, objectId: id, changes });
      }
    }
    for (const id of before.keys()) if (!after.has(id)) this.emit('edit', { op: 'object:delete', videoId: this.id, objectId: id });
    this.objectList = [...next].sort((a, b) => a.z - b.z || a.id - b.id);
    for (const object of next) if (object.id >= this.nextId) this.nextId = object.id + 1;
    this.emit('objects');
  }

  setReview(frame: number, review: ReviewStatus): void {
    const state = this.frameStates[frame];
    if (!state || state.review === review) return;
    this.frameStates[frame] = { ...state, review };
    this.emit('frames');
    this.emit('edit', { op: 'frame:review', videoId: this.id, frame, review });
  }

  private bumpRevision(frame: number): void {
    const state = this.frameStates[frame];
    if (!state) return;
    // Any pixel change needs a fresh look: an approved frame becomes "edited" again.
    this.frameStates[frame] = { ...state, revision: state.revision + 1, source: { kind: 'edited' }, review: 'edited' };
    this.emit('frames');
  }
}
