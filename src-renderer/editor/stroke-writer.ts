/**
 * One action's pixel transaction on one frame: tools write object ids straight into the frame's raster (so the
 * view can repaint live), and the writer remembers the original values lazily, per band of rows, the first time a
 * band is touched. `commit()` turns the touched box of each band into a history patch (a long diagonal stroke is
 * a chain of small rectangles, not its whole bounding box, so undoing it writes and repaints only those);
 * `cancel()` (Esc, tool or frame switch) puts every original value back.
 *
 * The painting rule lives here, once: the target object's pixels are never written where a locked or hidden
 * object is; other objects' pixels are taken only when painting is exclusive; the eraser removes the target's own
 * pixels only.
 */
import { readRect, type Rect } from '../../src-main/shared/project-model';
import type { EditorDocument } from './document';
import { DirtyBox } from './geometry';
import type { PixelPatch } from './history';

const BAND = 32;

export type PaintMode = 'add' | 'erase';

export class StrokeWriter {
  private readonly data: Uint16Array;
  private readonly width: number;
  private readonly bands = new Map<number, Uint16Array>();
  private readonly box = new DirtyBox();
  /** The touched box within each band of rows. */
  private readonly bandBoxes = new Map<number, DirtyBox>();
  private live = new DirtyBox();
  private finished = false;

  constructor(
    private readonly doc: EditorDocument,
    readonly frame: number,
    /** Object being painted or erased. */
    readonly target: number,
    /** Painting takes pixels from other (unlocked, visible) objects; false: paints over background only. */
    readonly exclusive = true,
  ) {
    const raster = doc.raster(frame);
    this.data = raster.data;
    this.width = raster.width;
  }

  /** Id now at pixel index i (inside the raster). */
  at(i: number): number {
    return this.data[i]!;
  }

  /** Sets pixel index i to `value` unconditionally (callers apply `paint`/`erase` rules); records the original. */
  set(i: number, value: number): void {
    if (this.data[i] === value) return;
    const y = (i / this.width) | 0;
    const band = (y / BAND) | 0;
    let bandBox = this.bandBoxes.get(band);
    if (!bandBox) {
      const start = band * BAND * this.width;
      this.bands.set(band, this.data.slice(start, Math.min(this.data.length, start + BAND * this.width)));
      bandBox = new DirtyBox();
      this.bandBoxes.set(band, bandBox);
    }
    this.data[i] = value;
    const x = i - y * this.width;
    bandBox.add(x, y);
    this.box.add(x, y);
    this.live.add(x, y);
  }

  /** Applies the painting rule for one pixel. Returns true when it changed. */
  apply(i: number, mode: PaintMode): boolean {
    const current = this.data[i]!;
    if (mode === 'erase') {
      if (current !== this.target) return false;
      this.set(i, 0);
      return true;
    }
    if (current === this.target) return false;
    if (current !== 0 && (!this.exclusive || !this.doc.writable(current))) return false;
    this.set(i, this.target);
    return true;
  }

  /** Tells the views what changed since the last call (live repaint while the pointer moves). */
  flushLive(): void {
    const rect = this.live.rect();
    if (!rect) return;
    this.live = new DirtyBox();
    this.doc.notifyLive(this.frame, rect);
  }

  get changed(): boolean {
    return !this.box.empty;
  }

  /** Ends the transaction: one patch per touched band, top to bottom (none when nothing changed), and their edits. */
  commit(): PixelPatch[] {
    this.finished = true;
    if (this.box.empty) return [];
    this.flushLive();
    const raster = this.doc.raster(this.frame);
    const patches: PixelPatch[] = [];
    for (const band of [...this.bandBoxes.keys()].sort((a, b) => a - b)) {
      const rect = this.bandBoxes.get(band)!.rect()!;
      patches.push({ frame: this.frame, rect, before: this.original(rect), after: readRect(raster, rect) as Uint16Array<ArrayBuffer> });
      this.doc.commitLive(this.frame, rect);
    }
    return patches;
  }

  /** Puts every touched pixel back and repaints them. */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    for (const [band, saved] of this.bands) this.data.set(saved, band * BAND * this.width);
    const rect = this.box.rect();
    if (rect) this.doc.notifyLive(this.frame, rect);
  }

  private original(rect: Rect): Uint16Array<ArrayBuffer> {
    const out = new Uint16Array(rect.w * rect.h);
    for (let row = 0; row < rect.h; row++) {
      const y = rect.y + row;
      const band = (y / BAND) | 0;
      const saved = this.bands.get(band);
      const src = saved ?? this.data;
      const offset = saved ? (y - band * BAND) * this.width : y * this.width;
      out.set(src.subarray(offset + rect.x, offset + rect.x + rect.w), row * rect.w);
    }
    return out;
  }
}
