/**
 * Pixel-exact raster operations used by the tools. Each writes through a StrokeWriter, so the painting rule
 * (locked/hidden objects untouched, exclusive painting) and undo are handled in one place.
 *
 * Round brush of size d: its centre is the centre of the pixel under the pointer for odd d and the pixel corner
 * nearest to the pointer for even d; a pixel is painted when its centre lies within d/2 of that centre.
 * (d = 1: one pixel; 2: 2x2; 3: 3x3; 5: 21 pixels.)
 */
import type { FrameImage } from './document';
import { linePoints, type Point } from './geometry';
import type { PaintMode, StrokeWriter } from './stroke-writer';

export const MIN_BRUSH = 1;
export const MAX_BRUSH = 256;

const discCache = new Map<number, Int16Array>();

/** The (dx, dy) offsets a brush of size d covers around its integer anchor (see the file comment). */
export function discOffsets(size: number): Int16Array {
  const d = Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Math.round(size)));
  let cached = discCache.get(d);
  if (cached) return cached;
  const r = d / 2;
  const odd = d % 2 === 1;
  const list: number[] = [];
  const reach = Math.ceil(r) + 1;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      const cx = odd ? dx : dx + 0.5;
      const cy = odd ? dy : dy + 0.5;
      if (cx * cx + cy * cy <= r * r) list.push(dx, dy);
    }
  }
  cached = Int16Array.from(list);
  discCache.set(d, cached);
  return cached;
}

/** The integer anchor of a brush of size d at a float pointer position. */
export function brushAnchor(p: Point, size: number): Point {
  return Math.round(size) % 2 === 1 ? { x: Math.floor(p.x), y: Math.floor(p.y) } : { x: Math.round(p.x), y: Math.round(p.y) };
}

export function stampDisc(w: StrokeWriter, width: number, height: number, ax: number, ay: number, size: number, mode: PaintMode): void {
  const offsets = discOffsets(size);
  for (let k = 0; k < offsets.length; k += 2) {
    const x = ax + offsets[k]!;
    const y = ay + offsets[k + 1]!;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    w.apply(y * width + x, mode);
  }
}

/** Stamps along the lattice line between two anchors (a dragged brush leaves no gaps). */
export function strokeSegment(
  w: StrokeWriter, width: number, height: number, a: Point, b: Point, size: number, mode: PaintMode,
): void {
  linePoints(a.x, a.y, b.x, b.y, (x, y) => stampDisc(w, width, height, x, y, size, mode));
}

/** Fills the polygon (even-odd rule, pixel centres) with the writer's target, or erases it. */
export function fillPolygon(w: StrokeWriter, width: number, height: number, points: readonly Point[], mode: PaintMode): void {
  if (points.length < 3) return;
  let minY = Infinity, maxY = -Infinity;
  for (const p of points) { minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y); }
  const y0 = Math.max(0, Math.floor(minY)), y1 = Math.min(height - 1, Math.ceil(maxY));
  const xs: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const a = points[i]!, b = points[j]!;
      if ((a.y > cy) !== (b.y > cy)) xs.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // pixel x is inside when its centre x + 0.5 lies in [xs[k], xs[k+1])
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const to = Math.min(width - 1, Math.ceil(xs[k + 1]! - 0.5) - 1);
      for (let x = from; x <= to; x++) w.apply(y * width + x, mode);
    }
  }
}

/**
 * Magic wand: the 4-connected region around `seed` whose frame colour is within `tolerance` (max channel
 * difference, 0..255) of the seed's colour. Returns the pixel indices.
 */
export function colourRegion(image: FrameImage, seed: Point, tolerance: number): Int32Array {
  const { width, height, data } = image;
  const sx = Math.floor(seed.x), sy = Math.floor(seed.y);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return new Int32Array(0);
  const s = (sy * width + sx) * 4;
  const r = data[s]!, g = data[s + 1]!, b = data[s + 2]!;
  const close = (i: number): boolean =>
    Math.abs(data[i * 4]! - r) <= tolerance && Math.abs(data[i * 4 + 1]! - g) <= tolerance && Math.abs(data[i * 4 + 2]! - b) <= tolerance;
  return floodIndices(width, height, sy * width + sx, close);
}

/** The 4-connected region of equal object id around `seed` (fill without a frame image). */
export function idRegion(ids: Uint16Array, width: number, height: number, seed: Point): Int32Array {
  const sx = Math.floor(seed.x), sy = Math.floor(seed.y);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return new Int32Array(0);
  const value = ids[sy * width + sx];
  return floodIndices(width, height, sy * width + sx, (i) => ids[i] === value);
}

function floodIndices(width: number, height: number, start: number, inside: (i: number) => boolean): Int32Array {
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const out: number[] = [];
  let top = 0;
  stack[top++] = start;
  seen[start] = 1;
  while (top > 0) {
    const i = stack[--top]!;
    out.push(i);
    const x = i % width;
    const push = (j: number): void => {
      if (!seen[j] && inside(j)) { seen[j] = 1; stack[top++] = j; }
    };
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (i >= width) push(i - width);
    if (i < width * (height - 1)) push(i + width);
  }
  return Int32Array.from(out);
}

/** Fills every region not of `target` that the target encloses (not connected to the raster border). */
export function fillHoles(w: StrokeWriter, ids: Uint16Array, width: number, height: number): void {
  const target = w.target;
  const outside = new Uint8Array(width * height);
  const stack: number[] = [];
  const seedIf = (i: number): void => {
    if (!outside[i] && ids[i] !== target) { outside[i] = 1; stack.push(i); }
  };
  for (let x = 0; x < width; x++) { seedIf(x); seedIf((height - 1) * width + x); }
  for (let y = 0; y < height; y++) { seedIf(y * width); seedIf(y * width + width - 1); }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) seedIf(i - 1);
    if (x < width - 1) seedIf(i + 1);
    if (i >= width) seedIf(i - width);
    if (i < width * (height - 1)) seedIf(i + width);
  }
  const holes: number[] = [];
  for (let i = 0; i < ids.length; i++) if (!outside[i] && ids[i] !== target) holes.push(i);
  for (const i of holes) w.apply(i, 'add');
}

/** Pixel indices of object `id` in a raster. */
export function objectPixels(ids: Uint16Array, id: number): Int32Array {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < ids.length; i++) if (ids[i] === id) out[k++] = i;
  return out;
}

/**
 * Moves the target's pixels (given by index, taken before the move) by (dx, dy): they leave their old place
 * and are painted at the new one under the painting rule; pixels moved outside the raster are dropped.
 */
export function movePixels(w: StrokeWriter, pixels: Int32Array, width: number, height: number, dx: number, dy: number): void {
  for (const i of pixels) if (w.at(i) === w.target) w.set(i, 0);
  for (const i of pixels) {
    const x = (i % width) + dx, y = ((i / width) | 0) + dy;
    if (x >= 0 && y >= 0 && x < width && y < height) w.apply(y * width + x, 'add');
  }
}
