/**
 * VGGish mel filterbank and window, as in the published `mel_features.py` (and our numpy reference
 * models/ccformer/audio/logmel.py): HTK mel scale, 64 triangular bands between 125 and 7500 Hz whose edges are
 * evenly spaced in mel, weights linear in mel (not area-normalised), DC bin excluded.
 */
export const SAMPLE_RATE = 16000;
export const WINDOW = 400; // 25 ms
export const HOP = 160; // 10 ms
export const FFT_SIZE = 512; // 2 ** ceil(log2(WINDOW))
export const NUM_MEL = 64;
export const MEL_MIN_HZ = 125;
export const MEL_MAX_HZ = 7500;
export const LOG_OFFSET = 0.01;
export const EXAMPLE_FRAMES = 96; // 0.96 s of 10 ms frames

/** HTK mel: 1127 ln(1 + hz / 700). */
export function hertzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/** Periodic Hann (the DFT-even one, not the symmetric window): 0.5 - 0.5 cos(2 pi n / length). */
export function periodicHann(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}

/** Row-major [bins][NUM_MEL] weights for `bins` linear-frequency bins from 0 to Nyquist. */
export function melMatrix(bins: number = FFT_SIZE / 2 + 1, sampleRate: number = SAMPLE_RATE): Float64Array {
  const weights = new Float64Array(bins * NUM_MEL);
  const lo = hertzToMel(MEL_MIN_HZ);
  const hi = hertzToMel(MEL_MAX_HZ);
  const edges = Array.from({ length: NUM_MEL + 2 }, (_, i) => lo + ((hi - lo) * i) / (NUM_MEL + 1));
  // Bin 0 (DC) stays zero, as HTK does.
  for (let b = 1; b < bins; b++) {
    const mel = hertzToMel(((sampleRate / 2) * b) / (bins - 1));
    for (let i = 0; i < NUM_MEL; i++) {
      const lower = edges[i]!;
      const centre = edges[i + 1]!;
      const upper = edges[i + 2]!;
      const rising = (mel - lower) / (centre - lower);
      const falling = (upper - mel) / (upper - centre);
      weights[b * NUM_MEL + i] = Math.max(0, Math.min(rising, falling));
    }
  }
  return weights;
}
