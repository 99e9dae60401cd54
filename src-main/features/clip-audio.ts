/**
 * Exactly T log-mel examples for one clip window, as the models were trained:
 * S4/MS3 repeat the last example up to T (AVSBench), AVSS zero-pads (and masks padded seconds with `valid`).
 * Mirrors `clip_examples` in models/ccformer/audio/logmel.py.
 */
import { EXAMPLE_FRAMES, NUM_MEL } from './mel';
import type { LogMelExamples } from './logmel';

export type AudioPad = 'repeat' | 'zero';

export interface ClipAudio {
  /** Row-major [T, 1, 96, 64]. */
  data: Float32Array;
  /** valid[k] is true exactly when second k has its own example (k < count), in both modes. */
  valid: boolean[];
}

const EXAMPLE_SIZE = EXAMPLE_FRAMES * NUM_MEL;

/** Cuts or pads `examples` to `seconds` examples. With no examples at all, both modes give zeros. */
export function clipAudio(examples: LogMelExamples, seconds: number, pad: AudioPad): ClipAudio {
  if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError(`seconds must be an integer >= 0, got ${seconds}`);
  if (pad !== 'repeat' && pad !== 'zero') throw new RangeError(`pad must be 'repeat' or 'zero', got ${String(pad)}`);
  if (examples.data.length !== examples.count * EXAMPLE_SIZE) {
    throw new RangeError(`examples hold ${examples.data.length} values, expected ${examples.count} x 96 x 64`);
  }
  const n = Math.min(examples.count, seconds);
  const data = new Float32Array(seconds * EXAMPLE_SIZE);
  data.set(examples.data.subarray(0, n * EXAMPLE_SIZE));
  if (pad === 'repeat' && n > 0) {
    const last = examples.data.subarray((n - 1) * EXAMPLE_SIZE, n * EXAMPLE_SIZE);
    for (let k = n; k < seconds; k++) data.set(last, k * EXAMPLE_SIZE);
  }
  return { data, valid: Array.from({ length: seconds }, (_, k) => k < n) };
}
