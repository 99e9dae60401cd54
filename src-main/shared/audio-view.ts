/**
 * The audio panel's data as it crosses the boundary (`audio:view`), and its decoding in the renderer. Compact
 * and JSON-safe: base64 of Int8 waveform peaks and of Uint8 log-mel levels. Pure TS (atob/btoa exist in
 * browsers and in Node >= 16).
 */
export const MEL_BANDS = 64;
/** Fixed log-mel range mapped onto 0..255, so colours mean the same at every zoom and in every video. */
export const MEL_LOG_MIN = Math.log(0.01);
export const MEL_LOG_MAX = 5;

export interface AudioView {
  startSec: number;
  endSec: number;
  columns: number;
  /** Int8 [columns * 2]: min, max per column, scaled by 127. */
  peaks: string;
  /** Uint8 [columns * 64] (band 0 = lowest), MEL_LOG_MIN..MEL_LOG_MAX -> 0..255. */
  mel: string;
  /** Milliseconds main spent (decode + reduce), and whether every chunk was already cached. */
  ms: number;
  cached: boolean;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function melLevel(logMel: number): number {
  const t = (logMel - MEL_LOG_MIN) / (MEL_LOG_MAX - MEL_LOG_MIN);
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}

export function decodePeaks(view: AudioView): Int8Array {
  const bytes = fromBase64(view.peaks);
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function decodeMel(view: AudioView): Uint8Array {
  return fromBase64(view.mel);
}

/** RMS level (dBFS) under which a second counts as silent for the checks. */
export const SILENCE_DBFS = -50;
