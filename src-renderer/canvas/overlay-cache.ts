/**
 * The painted mask overlays of recently seen frames, one canvas per frame, bounded in bytes, so stepping back and
 * forth shows a frame's masks by swapping a DOM node instead of repainting ~2 M pixels. Whole overlays are
 * painted off the main thread (overlay-worker.ts, one job at a time, the frame on screen first, then its
 * neighbours); edits patch the cached canvas by dirty rectangle on the main thread (a brush dab or an undo never
 * waits for the worker). A result is dropped when the frame's pixels or the style changed while it was painted.
 * Overlays are derived from the document's rasters, so an evicted one is simply painted again: the rasters
 * (and their unsaved edits) stay in the document.
 */
import type { ObjectRaster, Rect } from '../../src-main/shared/project-model';
import { growRect } from '../editor/geometry';
import { occupiedRect, paintOverlay } from '../editor/overlay';

export interface OverlayJob {
  id: number;
  width: number;
  height: number;
  data: Uint16Array;
  table: Uint8ClampedArray;
}

export interface OverlayResult {
  id: number;
  /** The painted rectangle (null: the raster holds no object). */
  rect: Rect | null;
  bitmap: ImageBitmap | null;
}

export interface OverlayEntry {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
}

export interface OverlaySource {
  width: number;
  height: number;
  /** The frame's raster when the document holds one (never created here). */
  raster(frame: number): ObjectRaster | null;
  /** The current colour table (colourTable of overlay.ts). */
  table(): Uint8ClampedArray;
}

/** About 20 overlays of a 1080p video (8 MB each); at least 3 of any size. */
export const OVERLAY_CACHE_BYTES = 160 * 1024 * 1024;

function blankCanvas(width: number, height: number): OverlayEntry {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.className = 'mask-canvas';
  // Written only, never read back: no willReadFrequently, so the browser may keep it on the GPU.
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available');
  return { canvas, ctx };
}

/** Pixels reused by every patch (paintOverlay writes each one): a brush dab or an undo allocates nothing. */
let scratch = new ArrayBuffer(0);

/** Paints one rectangle of a raster's overlay into `ctx` (grown by 1 px: edges depend on the neighbours). */
export function paintRect(ctx: CanvasRenderingContext2D, raster: ObjectRaster, table: Uint8ClampedArray, rect: Rect): void {
  const r = growRect(rect, 1, raster.width, raster.height);
  const bytes = r.w * r.h * 4;
  if (scratch.byteLength < bytes) scratch = new ArrayBuffer(Math.max(bytes, scratch.byteLength * 2));
  const image = new ImageData(new Uint8ClampedArray(scratch, 0, bytes), r.w, r.h);
  paintOverlay(raster, table, r, image.data);
  ctx.putImageData(image, r.x, r.y);
}

export class OverlayCache {
  private readonly entries = new Map<number, OverlayEntry>();
  /** Bumped per frame on every pixel change: a worker result painted from older pixels is dropped. */
  private readonly versions = new Map<number, number>();
  private generation = 0;
  private queue: number[] = [];
  private inFlight: { id: number; frame: number; version: number; generation: number } | null = null;
  private nextId = 1;
  private worker: Worker | null;
  private readonly maxEntries: number;
  /** The frame whose overlay is never evicted (the one on screen). */
  pinned = -1;

  constructor(private readonly source: OverlaySource, private readonly onReady: (frame: number) => void, capBytes = OVERLAY_CACHE_BYTES) {
    this.maxEntries = Math.max(3, Math.floor(capBytes / (source.width * source.height * 4)));
    try {
      this.worker = new Worker(new URL('./overlay-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<OverlayResult>) => this.finish(e.data);
      this.worker.onerror = () => this.dropWorker();
    } catch {
      this.worker = null; // painted on the main thread instead, one frame per task
    }
  }

  get(frame: number): OverlayEntry | undefined {
    const entry = this.entries.get(frame);
    if (entry) {
      this.entries.delete(frame); // refresh its place in the LRU order
      this.entries.set(frame, entry);
    }
    return entry;
  }

  has(frame: number): boolean {
    return this.entries.has(frame);
  }

  /** Paints frame `frame`'s whole overlay now, on this thread (a style change of the frame on screen). */
  paintNow(frame: number): OverlayEntry {
    const entry = blankCanvas(this.source.width, this.source.height);
    const raster = this.source.raster(frame);
    const occupied = raster ? occupiedRect(raster) : null;
    if (raster && occupied) paintRect(entry.ctx, raster, this.source.table(), occupied);
    this.store(frame, entry);
    return entry;
  }

  /** Asks for the overlays of `frames` (most wanted first) that are neither cached nor painting; replaces the queue. */
  request(frames: readonly number[]): void {
    this.queue = frames.filter((f) => !this.entries.has(f) && this.source.raster(f) !== null && this.inFlight?.frame !== f);
    this.pump();
  }

  /** Frame `frame`'s pixels changed in `rect`: patches its cached overlay, or forgets it when the change is large. */
  changed(frame: number, rect: Rect, repaintWhole: boolean): void {
    this.versions.set(frame, (this.versions.get(frame) ?? 0) + 1);
    const entry = this.entries.get(frame);
    if (!entry) return;
    const raster = this.source.raster(frame);
    if (repaintWhole || !raster) this.entries.delete(frame);
    else paintRect(entry.ctx, raster, this.source.table(), rect);
  }

  /** A new style or object table: every overlay is stale (the one on screen is repainted by the caller). */
  reset(): void {
    this.generation++;
    this.entries.clear();
    this.queue = [];
  }

  dispose(): void {
    this.reset();
    this.worker?.terminate();
    this.worker = null;
  }

  private store(frame: number, entry: OverlayEntry): void {
    this.entries.set(frame, entry);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      if (key !== this.pinned && key !== frame) this.entries.delete(key);
    }
  }

  private pump(): void {
    if (this.inFlight) return;
    const frame = this.queue.shift();
    if (frame === undefined) return;
    const raster = this.source.raster(frame);
    if (!raster || this.entries.has(frame)) return this.pump();
    const job = { id: this.nextId++, frame, version: this.versions.get(frame) ?? 0, generation: this.generation };
    this.inFlight = job;
    if (!this.worker) {
      setTimeout(() => {
        if (this.inFlight !== job) return;
        this.inFlight = null;
        if (this.current(job)) {
          this.paintNow(frame);
          this.onReady(frame);
        }
        this.pump();
      }, 0);
      return;
    }
    const data = raster.data.slice();
    const message: OverlayJob = { id: job.id, width: raster.width, height: raster.height, data, table: this.source.table().slice() };
    this.worker.postMessage(message, [data.buffer, message.table.buffer]);
  }

  private current(job: { frame: number; version: number; generation: number }): boolean {
    return job.generation === this.generation && (this.versions.get(job.frame) ?? 0) === job.version && !this.entries.has(job.frame);
  }

  private finish(result: OverlayResult): void {
    const job = this.inFlight;
    if (!job || job.id !== result.id) {
      result.bitmap?.close();
      return;
    }
    this.inFlight = null;
    if (this.current(job)) {
      const entry = blankCanvas(this.source.width, this.source.height);
      if (result.bitmap && result.rect) entry.ctx.drawImage(result.bitmap, result.rect.x, result.rect.y);
      this.store(job.frame, entry);
      this.onReady(job.frame);
    } else if (job.generation === this.generation && !this.entries.has(job.frame) && !this.queue.includes(job.frame)) {
      this.queue.unshift(job.frame); // painted from older pixels: once more
    }
    result.bitmap?.close();
    this.pump();
  }

  private dropWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    const job = this.inFlight;
    this.inFlight = null;
    if (job) this.queue.unshift(job.frame);
    this.pump();
  }
}
