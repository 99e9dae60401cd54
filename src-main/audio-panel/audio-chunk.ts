/**
 * One chunk of the audio panel's data: CHUNK_SEC seconds of the soundtrack reduced, once, to what the panel
 * draws at any zoom: waveform min/max and RMS per 10 ms (100 per second, the log-mel hop) and every
 * MEL_STRIDE-th log-mel frame of the model's own front end (src-main/features/logmel.ts: the very features
 * CCFormer hears). Pure: takes samples, returns arrays.
 */
import { logMelSpectrogram } from '../features';
import { HOP, SAMPLE_RATE, WINDOW } from '../features/mel';

export const CHUNK_SEC = 10;
/** Base columns per second (one per log-mel hop). */
export const BASE_RATE = SAMPLE_RATE / HOP;
export const BASE_PER_CHUNK = CHUNK_SEC * BASE_RATE;
/** Every 4th log-mel frame (25 per second) is kept: enough for >= 1 column per frame down to 25 px/s. */
export const MEL_STRIDE = 4;
export const MELS_PER_CHUNK = BASE_PER_CHUNK / MEL_STRIDE;
/** Samples a chunk decodes: its own plus the tail of the last analysis window. */
export const CHUNK_SAMPLES = CHUNK_SEC * SAMPLE_RATE + WINDOW - HOP;

export interface AudioChunk {
  min: Float32Array;
  max: Float32Array;
  /** Mean square per base column. */
  power: Float32Array;
  /** Row-major [MELS_PER_CHUNK, 64] log(mel + 0.01). */
  mel: Float32Array;
}

/** `wave` holds CHUNK_SAMPLES 16 kHz samples starting at the chunk's start (zeros past the end of the track). */
export function reduceChunk(wave: Float32Array): AudioChunk {
  if (wave.length !== CHUNK_SAMPLES) throw new RangeError(`a chunk needs ${CHUNK_SAMPLES} samples, got ${wave.length}`);
  const min = new Float32Array(BASE_PER_CHUNK);
  const max = new Float32Array(BASE_PER_CHUNK);
  const power = new Float32Array(BASE_PER_CHUNK);
  for (let c = 0; c < BASE_PER_CHUNK; c++) {
    let lo = 0;
    let hi = 0;
    let sum = 0;
    for (let i = c * HOP; i < (c + 1) * HOP; i++) {
      const s = wave[i]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      sum += s * s;
    }
    min[c] = lo;
    max[c] = hi;
    power[c] = sum / HOP;
  }
  // Frames 0, MEL_STRIDE, 2 * MEL_STRIDE... of the full-rate spectrogram (the same numbers), in one pass.
  const mel = Float32Array.from(logMelSpectrogram(wave, MELS_PER_CHUNK, MEL_STRIDE * HOP));
  return { min, max, power, mel };
}
