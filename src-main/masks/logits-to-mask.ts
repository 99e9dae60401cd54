/**
 * Model logits -> class-index masks at the video's display size (ONNX contract: logits [T, C, h, w]).
 * - Binary models (C = 1): sigmoid(x) > 0.5, i.e. x > 0, after bilinear upsampling of the logit; foreground
 *   pixels get the class index the caller chooses (the sounding object's class), background 0.
 * - Multi-class models: argmax over classes of the bilinearly upsampled logits. Only the classes that win
 *   somewhere at model resolution are upsampled (a 1080p frame does not pay for 71 full planes); a class that
 *   never wins at model resolution could in principle win between grid points, an approximation we accept.
 * Ties go to the lower class index, as argmax does. Output is a Uint8Array (class indices < 256).
 */
import { bilinearTaps, blendRow, resizeRowsHorizontal } from './resize';
import { maskLayerStats, type LayerStats } from './layer-stats';

export interface LogitsShape {
  frames: number;
  classes: number;
  height: number;
  width: number;
}

export interface MaskOptions {
  /** Output (display) size. */
  width: number;
  height: number;
  /** Binary models: the class index written for foreground pixels (default 1). */
  foregroundClass?: number;
}

export interface ClassMask {
  width: number;
  height: number;
  /** Row-major class indices [height, width]. */
  data: Uint8Array;
  layers: LayerStats[];
}

function checkShape(logits: Float32Array, s: LogitsShape): void {
  const dims = [s.frames, s.classes, s.height, s.width];
  if (!dims.every((d) => Number.isInteger(d) && d > 0)) throw new RangeError(`bad logits shape ${dims.join('x')}`);
  if (logits.length !== s.frames * s.classes * s.height * s.width) {
    throw new RangeError(`logits hold ${logits.length} values, shape ${dims.join('x')} needs ${dims.reduce((a, b) => a * b)}`);
  }
  if (s.classes > 256) throw new RangeError(`at most 256 classes fit a Uint8 mask, got ${s.classes}`);
}

/** Classes that are the argmax of at least one pixel at model resolution (ascending). */
export function classesPresent(logits: Float32Array, s: LogitsShape, frame: number): number[] {
  const plane = s.height * s.width;
  const base = frame * s.classes * plane;
  const seen = new Uint8Array(s.classes);
  for (let p = 0; p < plane; p++) {
    let best = 0;
    let bestValue = logits[base + p]!;
    for (let c = 1; c < s.classes; c++) {
      const v = logits[base + c * plane + p]!;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    seen[best] = 1;
  }
  const out: number[] = [];
  seen.forEach((v, c) => v && out.push(c));
  return out;
}

/** Mask of one frame of `logits`. */
export function logitsToMask(logits: Float32Array, s: LogitsShape, frame: number, opts: MaskOptions): ClassMask {
  checkShape(logits, s);
  if (!Number.isInteger(frame) || frame < 0 || frame >= s.frames) throw new RangeError(`frame ${frame} out of 0..${s.frames - 1}`);
  const { width: W, height: H } = opts;
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 1 || H < 1) throw new RangeError(`bad mask size ${W}x${H}`);
  const plane = s.height * s.width;
  const ht = bilinearTaps(s.width, W);
  const vt = bilinearTaps(s.height, H);
  const data = new Uint8Array(W * H);
  const row = new Float32Array(W);
  if (s.classes === 1) {
    const fg = opts.foregroundClass ?? 1;
    if (!Number.isInteger(fg) || fg < 1 || fg > 255) throw new RangeError(`foreground class must be 1..255, got ${fg}`);
    const horiz = resizeRowsHorizontal(logits, frame * plane, s.width, s.height, ht);
    for (let y = 0; y < H; y++) {
      blendRow(horiz, W, vt, y, row);
      const o = y * W;
      for (let x = 0; x < W; x++) if (row[x]! > 0) data[o + x] = fg;
    }
  } else {
    const present = classesPresent(logits, s, frame);
    if (present.length === 1) {
      data.fill(present[0]!);
    } else {
      const horiz = present.map((c) => resizeRowsHorizontal(logits, (frame * s.classes + c) * plane, s.width, s.height, ht));
      const best = new Float32Array(W);
      for (let y = 0; y < H; y++) {
        const o = y * W;
        best.fill(-Infinity);
        for (let k = 0; k < present.length; k++) {
          blendRow(horiz[k]!, W, vt, y, row);
          const c = present[k]!;
          for (let x = 0; x < W; x++) {
            if (row[x]! > best[x]!) {
              best[x] = row[x]!;
              data[o + x] = c;
            }
          }
        }
      }
    }
  }
  return { width: W, height: H, data, layers: maskLayerStats(data, W, H) };
}

/** Masks of every frame (a window's worth; each mask is W*H bytes). */
export function logitsToMasks(logits: Float32Array, s: LogitsShape, opts: MaskOptions): ClassMask[] {
  return Array.from({ length: s.frames }, (_, t) => logitsToMask(logits, s, t, opts));
}
