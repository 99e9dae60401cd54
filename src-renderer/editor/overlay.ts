/**
 * Paints the mask overlay (the derived view of a frame's object raster) into RGBA pixels, for one dirty
 * rectangle at a time. Modes: `fill` (object colour at the fill alpha plus a contrasting 1-px edge), `outline`
 * (edges only), `off`. Each object's edge colour is white or black, whichever contrasts with its palette colour,
 * so the AVSS palette's grey, dark green and navy stay readable on any frame. Hidden objects are not drawn.
 */
import { objectColour, type ObjectRaster, type ProjectObject, type Rect } from '../../src-main/shared/project-model';

export type MaskView = 'fill' | 'outline' | 'off';

export interface OverlayStyle {
  mode: MaskView;
  /** Fill alpha 0..1. */
  opacity: number;
  /** Selected object: drawn with a stronger fill. */
  selected: number | null;
}

/** Per-id colour table: [r, g, b, fillAlpha, edgeR, edgeG, edgeB, edgeAlpha] * (maxId + 1). */
export function colourTable(objects: readonly ProjectObject[], style: OverlayStyle): Uint8ClampedArray {
  const maxId = objects.reduce((m, o) => Math.max(m, o.id), 0);
  const table = new Uint8ClampedArray((maxId + 1) * 8);
  for (const object of objects) {
    if (!object.visible || style.mode === 'off') continue;
    const [r, g, b] = objectColour(object);
    const k = object.id * 8;
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    const edge = luminance < 0.45 ? 255 : 0;
    const alpha = object.id === style.selected ? Math.min(1, style.opacity + 0.2) : style.opacity;
    table.set([r, g, b, style.mode === 'fill' ? Math.round(alpha * 255) : 0, edge, edge, edge, 255], k);
  }
  return table;
}

/**
 * Writes the overlay of `rect` into `out` (RGBA, rect.w * rect.h * 4). A pixel is an edge when one of its
 * 4-neighbours holds another id; neighbours outside the raster count as the same id. Runs on 32-bit words (one
 * store per pixel): a whole 1080p frame is one pass over 2 M ids.
 */
export function paintOverlay(raster: ObjectRaster, table: Uint8ClampedArray, rect: Rect, out: Uint8ClampedArray): void {
  const { width, height, data } = raster;
  const ids = table.length / 8;
  const words = new Uint32Array(table.buffer, table.byteOffset, ids * 2); // [fill, edge] per id, native order
  const px = new Uint32Array(out.buffer, out.byteOffset, rect.w * rect.h);
  const x1 = rect.x + rect.w;
  for (let row = 0; row < rect.h; row++) {
    const y = rect.y + row;
    const top = y > 0, bottom = y < height - 1;
    let o = row * rect.w;
    let i = y * width + rect.x;
    for (let x = rect.x; x < x1; x++, o++, i++) {
      const id = data[i]!;
      if (id === 0 || id >= ids) { px[o] = 0; continue; }
      const edge =
        (x > 0 && data[i - 1] !== id) || (x < width - 1 && data[i + 1] !== id) ||
        (top && data[i - width] !== id) || (bottom && data[i + width] !== id);
      px[o] = words[id * 2 + (edge ? 1 : 0)]!;
    }
  }
}

/** The rows and columns that hold any object (null when the raster is empty): a fresh overlay paints only those. */
export function occupiedRect(raster: ObjectRaster): Rect | null {
  const { width, height, data } = raster;
  let minX = width, maxX = -1, minY = -1, maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1, last = -1;
    for (let x = 0; x < width; x++) if (data[row + x] !== 0) { first = x; break; }
    if (first < 0) continue;
    for (let x = width - 1; x >= first; x--) if (data[row + x] !== 0) { last = x; break; }
    if (minY < 0) minY = y;
    maxY = y;
    if (first < minX) minX = first;
    if (last > maxX) maxX = last;
  }
  return minY < 0 ? null : { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
}
