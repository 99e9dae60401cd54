/** Per-class statistics of a class-index mask, in one pass over typed arrays (no per-pixel objects). */

export interface Bbox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One mask layer: a class present in the frame. */
export interface LayerStats {
  classIndex: number;
  pixels: number;
  /** Tight box around the class's pixels, in mask (display) pixels. */
  bbox: Bbox;
}

/** Stats for every non-background (index != 0) class present, sorted by class index. */
export function maskLayerStats(mask: Uint8Array, width: number, height: number): LayerStats[] {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} pixels, expected ${width}x${height}`);
  const count = new Uint32Array(256);
  const minX = new Int32Array(256).fill(width);
  const minY = new Int32Array(256).fill(height);
  const maxX = new Int32Array(256).fill(-1);
  const maxY = new Int32Array(256).fill(-1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = mask[row + x]!;
      if (c === 0) continue;
      count[c]!++;
      if (x < minX[c]!) minX[c] = x;
      if (x > maxX[c]!) maxX[c] = x;
      if (y < minY[c]!) minY[c] = y;
      maxY[c] = y; // rows are visited in order
    }
  }
  const layers: LayerStats[] = [];
  for (let c = 1; c < 256; c++) {
    if (count[c] === 0) continue;
    layers.push({
      classIndex: c,
      pixels: count[c]!,
      bbox: { x: minX[c]!, y: minY[c]!, width: maxX[c]! - minX[c]! + 1, height: maxY[c]! - minY[c]! + 1 },
    });
  }
  return layers;
}
