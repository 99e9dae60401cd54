/**
 * A binary mask as it crosses the renderer <-> main boundary: run lengths over the row-major pixels, starting
 * with a run of 0s (which may be empty), alternating 0/1. A 1080p blob is ~2 numbers per row instead of 2 M
 * bytes; the counts are a typed array, so they travel binary (ipc-contract.ts). Pure TS.
 */
export interface BinaryMask {
  width: number;
  height: number;
  /** Alternating run lengths, 0s first; they sum to width * height. */
  counts: Uint32Array<ArrayBuffer>;
}

export function encodeMask(bits: Uint8Array, width: number, height: number): BinaryMask {
  if (bits.length !== width * height) throw new RangeError(`mask holds ${bits.length} pixels, ${width}x${height} needs ${width * height}`);
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let i = 0; i < bits.length; i++) {
    const bit = bits[i]! !== 0 ? 1 : 0;
    if (bit !== value) {
      counts.push(run);
      value = bit;
      run = 0;
    }
    run++;
  }
  counts.push(run);
  return { width, height, counts: Uint32Array.from(counts) };
}

/** 0/1 per pixel; throws when the runs do not cover the mask exactly. */
export function decodeMask(mask: BinaryMask): Uint8Array {
  const total = mask.width * mask.height;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < mask.counts.length; i++) {
    const run = mask.counts[i]!;
    if (i % 2 === 1) out.fill(1, at, at + run);
    at += run;
  }
  if (at !== total) throw new RangeError(`mask runs cover ${at} pixels, ${mask.width}x${mask.height} needs ${total}`);
  return out;
}

/** Why `mask` is not a valid run-length mask, or null when it is (the IPC schema's check). */
export function maskProblem(mask: BinaryMask): string | null {
  let total = 0;
  for (const run of mask.counts) total += run;
  return total === mask.width * mask.height ? null : `runs cover ${total} pixels, ${mask.width}x${mask.height} needs ${mask.width * mask.height}`;
}

/** Pixels set. */
export function maskArea(mask: BinaryMask): number {
  let area = 0;
  for (let i = 1; i < mask.counts.length; i += 2) area += mask.counts[i]!;
  return area;
}

/** Intersection over union of two 0/1 pixel arrays of the same size (1 when both are empty). */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! !== 0;
    const y = b[i]! !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}
