/**
 * The audio panel's data as it crosses the boundary (`audio:view`): typed arrays (they travel binary, see
 * ipc-contract.ts): waveform min/max per column and log-mel levels quantised to bytes. Pure TS.
 */
export const MEL_BANDS = 64;
/** Fixed log-mel range mapped onto 0..255, so colours mean the same at every zoom and in every video. */
export const MEL_LOG_MIN = Math.log(0.01);
export const MEL_LOG_MAX = 5;

export interface AudioView {
  startSec: number;
  endSec: number;
  columns: number;
  /** [columns * 2]: min, max per column, in [-1, 1]. */
  peaks: Float32Array;
  /** [columns * 64] (band 0 = lowest), MEL_LOG_MIN..MEL_LOG_MAX -> 0..255. */
  mel: Uint8Array;
  /** Milliseconds main spent (decode + reduce), and whether every chunk was already cached. */
  ms: number;
  cached: boolean;
}

export function melLevel(logMel: number): number {
  const t = (logMel - MEL_LOG_MIN) / (MEL_LOG_MAX - MEL_LOG_MIN);
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}

/** RMS level (dBFS) under which a second counts as silent for the checks. */
export const SILENCE_DBFS = -50;
