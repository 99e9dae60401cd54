/**
 * Drawing of the audio panel, by hand on 2D canvases: the data arrives already reduced to one column per pixel
 * (main decodes only the visible range), so each draw is one pass over a few thousand values. wavesurfer.js is
 * not used: it decodes the whole file in the browser (Web Audio decodeAudioData), which a 1-hour video must not
 * do, and its spectrogram plugin computes its own FFT, not the model's log-mel.
 */
import { MEL_BANDS } from '../../../src-main/shared/audio-view';

/** One min/max bar per column, centred. */
export function drawWaveform(ctx: CanvasRenderingContext2D, peaks: Float32Array, width: number, height: number, colour = '#4cc9f0'): void {
  ctx.clearRect(0, 0, width, height);
  const columns = peaks.length / 2;
  const mid = height / 2;
  ctx.fillStyle = colour;
  for (let c = 0; c < columns && c < width; c++) {
    const lo = peaks[2 * c]!;
    const hi = peaks[2 * c + 1]!;
    const top = mid - hi * mid;
    const bottom = mid - lo * mid;
    ctx.fillRect(c, top, 1, Math.max(1, bottom - top));
  }
}

/** A dark-blue -> yellow ramp (perceptually ordered, readable on the dark theme). */
export function melColour(level: number): [number, number, number] {
  const t = level / 255;
  return [Math.round(255 * Math.min(1, t * 1.6)), Math.round(255 * t * t), Math.round(80 + 120 * Math.sin(Math.PI * t))];
}

const RAMP: [number, number, number][] = Array.from({ length: 256 }, (_, i) => melColour(i));

/** Log-mel levels [columns, 64] as an image: low bands at the bottom. */
export function drawSpectrogram(ctx: CanvasRenderingContext2D, mel: Uint8Array, columns: number, height: number): void {
  const image = ctx.createImageData(columns, MEL_BANDS);
  for (let c = 0; c < columns; c++) {
    for (let m = 0; m < MEL_BANDS; m++) {
      const [r, g, b] = RAMP[mel[c * MEL_BANDS + m]!]!;
      const at = ((MEL_BANDS - 1 - m) * columns + c) * 4;
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
      image.data[at + 3] = 255;
    }
  }
  // 64 rows scaled to the canvas height by the browser (one putImageData + one drawImage).
  const scratch = new OffscreenCanvas(columns, MEL_BANDS);
  scratch.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, columns, height);
  ctx.drawImage(scratch, 0, 0, columns, MEL_BANDS, 0, 0, columns, height);
}
