/**
 * Raster-space geometry for the editor core. Coordinates are video pixels: x right, y down, pixel (x, y) covers
 * [x, x+1) x [y, y+1), so its centre is (x + 0.5, y + 0.5). Pointer positions arrive as floats in this space.
 */
import type { Rect } from '../../src-main/shared/project-model';

export interface Point {
  x: number;
  y: number;
}

/** A growing bounding box of touched pixels (inclusive min, exclusive max); empty until the first `add`. */
export class DirtyBox {
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;

  add(x: number, y: number): void {
    if (x < this.minX) this.minX = x;
    if (y < this.minY) this.minY = y;
    if (x + 1 > this.maxX) this.maxX = x + 1;
    if (y + 1 > this.maxY) this.maxY = y + 1;
  }

  addRect(rect: Rect): void {
    this.add(rect.x, rect.y);
    this.add(rect.x + rect.w - 1, rect.y + rect.h - 1);
  }

  get empty(): boolean {
    return this.maxX <= this.minX;
  }

  rect(): Rect | null {
    return this.empty ? null : { x: this.minX, y: this.minY, w: this.maxX - this.minX, h: this.maxY - this.minY };
  }
}

/** `rect` grown by `by` pixels on every side and clipped to a width x height raster. */
export function growRect(rect: Rect, by: number, width: number, height: number): Rect {
  const x = Math.max(0, rect.x - by);
  const y = Math.max(0, rect.y - by);
  const x2 = Math.min(width, rect.x + rect.w + by);
  const y2 = Math.min(height, rect.y + rect.h + by);
  return { x, y, w: Math.max(1, x2 - x), h: Math.max(1, y2 - y) };
}

export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Integer lattice points from a to b inclusive (Bresenham): where a dragged brush stamps. */
export function linePoints(ax: number, ay: number, bx: number, by: number, visit: (x: number, y: number) => void): void {
  let x = ax, y = ay;
  const dx = Math.abs(bx - ax), dy = -Math.abs(by - ay);
  const sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    visit(x, y);
    if (x === bx && y === by) return;
    const e2 = 2 * err;
    if (e2 >= dy) { err += dy; x += sx; }
    if (e2 <= dx) { err += dx; y += sy; }
  }
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
