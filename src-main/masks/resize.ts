/**
 * Bilinear resampling with PyTorch's `interpolate(mode='bilinear', align_corners=False)` geometry (what training
 * and evaluation use to bring logits to mask size): source = (dst + 0.5) * in / out - 0.5, clamped at 0, the
 * right/bottom neighbour clamped to the last pixel. Separable: a horizontal pass per source row, then a vertical
 * blend per output row, so the caller never needs a full-resolution float plane.
 */

/** Per output coordinate: the two source indices and the weight of the second. */
export interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  w: Float32Array;
}

export function bilinearTaps(inSize: number, outSize: number): Taps {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const w = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let d = 0; d < outSize; d++) {
    const src = Math.max(0, (d + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    lo[d] = i0;
    hi[d] = i0 < inSize - 1 ? i0 + 1 : i0;
    w[d] = src - i0;
  }
  return { lo, hi, w };
}

/**
 * Horizontal pass: `src` plane [sh, sw] starting at `offset` -> [sh, dw] into `out` (allocated when omitted).
 */
export function resizeRowsHorizontal(
  src: Float32Array, offset: number, sw: number, sh: number, taps: Taps, out?: Float32Array,
): Float32Array {
  const dw = taps.lo.length;
  const dst = out ?? new Float32Array(sh * dw);
  for (let y = 0; y < sh; y++) {
    const row = offset + y * sw;
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = src[row + taps.lo[x]!]!;
      const b = src[row + taps.hi[x]!]!;
      dst[o + x] = a + (b - a) * taps.w[x]!;
    }
  }
  return dst;
}

/** Vertical blend of output row `y` from a horizontally resized plane [sh, dw] into `row` [dw]. */
export function blendRow(horiz: Float32Array, dw: number, vt: Taps, y: number, row: Float32Array): void {
  const a = vt.lo[y]! * dw;
  const b = vt.hi[y]! * dw;
  const w = vt.w[y]!;
  for (let x = 0; x < dw; x++) {
    const va = horiz[a + x]!;
    row[x] = va + (horiz[b + x]! - va) * w;
  }
}

/** Whole-plane convenience (tests, small images): [sh, sw] -> [dh, dw]. */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const horiz = resizeRowsHorizontal(src, 0, sw, sh, bilinearTaps(sw, dw));
  const vt = bilinearTaps(sh, dh);
  const out = new Float32Array(dw * dh);
  const row = new Float32Array(dw);
  for (let y = 0; y < dh; y++) {
    blendRow(horiz, dw, vt, y, row);
    out.set(row, y * dw);
  }
  return out;
}
