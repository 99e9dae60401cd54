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
 * 4-neighbours holds another id; neighbours outside the raster count as the same id.
 */
export function paintOverlay(raster: ObjectRaster, table: Uint8ClampedArray, rect: Rect, out: Uint8ClampedArray): void {
  const { width, height, data } = raster;
  const ids = table.length / 8;
  for (let row = 0; row < rect.h; row++) {
    const y = rect.y + row;
    let o = row * rect.w * 4;
    for (let x = rect.x; x < rect.x + rect.w; x++, o += 4) {
      const i = y * width + x;
      const id = data[i]!;
      if (id === 0 || id >= ids) { out[o + 3] = 0; continue; }
      const k = id * 8;
      const edge =
        (x > 0 && data[i - 1] !== id) || (x < width - 1 && data[i + 1] !== id) ||
        (y > 0 && data[i - width] !== id) || (y < height - 1 && data[i + width] !== id);
      const c = edge ? k + 4 : k;
      out[o] = table[c]!; out[o + 1] = table[c + 1]!; out[o + 2] = table[c + 2]!; out[o + 3] = table[c + 3]!;
    }
  }
}
