/**
 * Prompts derived from a mask, for carrying it to the next sampled frame (propagation): its bounding box grown by
 * a margin (the object moves between seconds), its most interior point (the maximum of a chamfer distance
 * transform: a point that stays inside the object under small motion, unlike the centroid of a ring or a
 * crescent) and the mask itself as the decoder's low-res mask input.
 */
import type { PromptBox, PromptPoint } from './sam-contract';

export interface MaskBounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

export function maskBounds(bits: Uint8Array, width: number, height: number): MaskBounds | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  let area = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!bits[y * width + x]) continue;
      area++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return area === 0 ? null : { x0, y0, x1, y1, area };
}

/** Box grown by `margin` of its size on every side (at least `minPx`), clamped to the frame. */
export function grownBox(b: MaskBounds, width: number, height: number, margin: number, minPx = 4): PromptBox {
  const dx = Math.max(minPx, (b.x1 - b.x0 + 1) * margin);
  const dy = Math.max(minPx, (b.y1 - b.y0 + 1) * margin);
  return {
    x0: Math.max(0, b.x0 - dx), y0: Math.max(0, b.y0 - dy),
    x1: Math.min(width - 1, b.x1 + dx), y1: Math.min(height - 1, b.y1 + dy),
  };
}

/** The pixel farthest from the mask's border (3-4 chamfer distance, two passes). */
export function interiorPoint(bits: Uint8Array, width: number, height: number): PromptPoint | null {
  const big = 1 << 30;
  const d = new Int32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = bits[i] ? big : 0;
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x]!);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i]!, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
    }
  }
  let best = -1;
  let bx = 0;
  let by = 0;
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i]!, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
      if (d[i]! > best) {
        best = d[i]!;
        bx = x;
        by = y;
      }
    }
  }
  return best < 0 ? null : { x: bx + 0.5, y: by + 0.5, positive: true };
}
