/**
 * VGGish log-mel front end in TypeScript, matching models/ccformer/audio/logmel.py (the published recipe):
 *   wave (16 kHz, [-1, 1]) -> frames of 400 samples every 160 (no padding) -> periodic Hann -> |rfft 512|
 *   -> 64 HTK mel bands (125-7500 Hz) -> log(mel + 0.01) -> non-overlapping 96-frame examples.
 * Counts: F = 1 + floor((samples - 400) / 160) frames (0 below 400 samples), N = floor(F / 96) examples; a
 * trailing partial example is dropped, as the reference does. Computed in float64, returned as float32.
 */
import { RealFft } from './fft';
import {
  EXAMPLE_FRAMES, FFT_SIZE, HOP, LOG_OFFSET, melMatrix, NUM_MEL, periodicHann, SAMPLE_RATE, WINDOW,
} from './mel';

export interface LogMelExamples {
  /** Row-major [count, 96, 64]. */
  data: Float32Array;
  count: number;
}

/** Frames of the STFT for `samples` samples. */
export function numFrames(samples: number): number {
  return samples < WINDOW ? 0 : 1 + Math.floor((samples - WINDOW) / HOP);
}

/** Examples (seconds of 0.96 s) for `samples` 16 kHz samples. */
export function numExamples(samples: number): number {
  return Math.floor(numFrames(samples) / EXAMPLE_FRAMES);
}

// Shared tables: built on first use, reused by every call (the front end runs once per clip window).
interface Band { first: number; weights: Float64Array }
let tables: { fft: RealFft; hann: Float64Array; bands: Band[] } | undefined;

/** Each mel band as its run of non-zero weights (a triangle spans a few bins): ~30x fewer multiplies. */
function sparseBands(bins: number): Band[] {
  const mel = melMatrix(bins);
  return Array.from({ length: NUM_MEL }, (_, i) => {
    let first = -1;
    let last = -1;
    for (let b = 0; b < bins; b++) {
      if (mel[b * NUM_MEL + i]! !== 0) {
        if (first < 0) first = b;
        last = b;
      }
    }
    const weights = new Float64Array(first < 0 ? 0 : last - first + 1);
    for (let j = 0; j < weights.length; j++) weights[j] = mel[(first + j) * NUM_MEL + i]!;
    return { first: Math.max(first, 0), weights };
  });
}

function getTables(): NonNullable<typeof tables> {
  tables ??= { fft: new RealFft(FFT_SIZE), hann: periodicHann(WINDOW), bands: sparseBands(FFT_SIZE / 2 + 1) };
  return tables;
}

/**
 * log(mel + 0.01) for the first `frames` STFT frames of `wave`: row-major [frames, 64] float64.
 * Only the bins inside each band's triangle are visited, which keeps the cost at about one FFT per frame.
 * `hop` (samples between frames) is the front end's 160 except for the audio panel, which keeps every n-th frame.
 */
export function logMelSpectrogram(wave: ArrayLike<number>, frames: number = numFrames(wave.length), hop: number = HOP): Float64Array {
  const { fft, hann, bands } = getTables();
  const out = new Float64Array(frames * NUM_MEL);
  const windowed = new Float64Array(WINDOW);
  const mag = new Float64Array(fft.bins);
  for (let f = 0; f < frames; f++) {
    const offset = f * hop;
    for (let n = 0; n < WINDOW; n++) windowed[n] = wave[offset + n]! * hann[n]!;
    fft.magnitude(windowed, mag);
    const row = f * NUM_MEL;
    for (let i = 0; i < NUM_MEL; i++) {
      const { first, weights } = bands[i]!;
      let sum = 0; // ascending bins, the same summation order as the reference's matrix product
      for (let j = 0; j < weights.length; j++) sum += mag[first + j]! * weights[j]!;
      out[row + i] = Math.log(sum + LOG_OFFSET);
    }
  }
  return out;
}

/**
 * VGGish examples [count, 96, 64] from a mono waveform. Only 16 kHz is accepted: the app gets 16 kHz straight
 * from ffmpeg (extractAudio), and a second resampler here could only disagree with the Python reference.
 */
export function logMelExamples(wave: Float32Array, sampleRate: number = SAMPLE_RATE): LogMelExamples {
  if (sampleRate !== SAMPLE_RATE) {
    throw new RangeError(`log-mel needs ${SAMPLE_RATE} Hz audio, got ${sampleRate} Hz (extractAudio can resample)`);
  }
  const count = numExamples(wave.length);
  const spec = logMelSpectrogram(wave, count * EXAMPLE_FRAMES);
  return { data: Float32Array.from(spec), count };
}
