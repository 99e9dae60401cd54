/**
 * COCO run-length encoding, as pycocotools writes it: runs over the mask in COLUMN-major order (down each
 * column, left to right), starting with a run of zeros (0 when the first pixel is set), stored as the
 * "compressed counts" string (LEB128-like 5-bit groups, offset 48, each count after the second stored as the
 * difference to the count two before). Written here so exports need no Python; tests decode it with pycocotools.
 */

/** Run lengths of `mask != 0` ([height * width], row-major input), column-major, first run = zeros. */
export function rleCounts(mask: Uint8Array, width: number, height: number): number[] {
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = mask[y * width + x] ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** pycocotools `rleToString`. */
export function countsToString(counts: readonly number[]): string {
  let out = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!;
    if (i > 2) x -= counts[i - 2]!;
    for (let more = true; more;) {
      let c = x & 0x1f;
      x >>= 5; // arithmetic shift: negative differences end at -1
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out += String.fromCharCode(c + 48);
    }
  }
  return out;
}

/** pycocotools `rleFrString`: the inverse of countsToString. */
export function stringToCounts(text: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) throw new Error('COCO RLE string ends inside a count');
      const c = text.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    counts.push(x);
  }
  return counts;
}

/** Decodes counts back to a row-major 0/1 mask; throws when the runs do not cover exactly width * height. */
export function decodeRle(counts: readonly number[], width: number, height: number): Uint8Array {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== width * height) throw new Error(`COCO RLE covers ${total} pixels, the image has ${width * height}`);
  const mask = new Uint8Array(width * height);
  let pos = 0;
  counts.forEach((run, i) => {
    if (run < 0) throw new Error('COCO RLE has a negative run');
    if (i % 2 === 1) for (let j = pos; j < pos + run; j++) mask[(j % height) * width + Math.floor(j / height)] = 1;
    pos += run;
  });
  return mask;
}

export interface CocoRle {
  size: [number, number];
  counts: string;
}

export function encodeRle(mask: Uint8Array, width: number, height: number): CocoRle {
  return { size: [height, width], counts: countsToString(rleCounts(mask, width, height)) };
}
