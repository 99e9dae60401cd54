/**
 * mask:save: the renderer sends an edited frame's class-index mask as PNG. It is checked (a PNG, the video's
 * display size, one class index per pixel, indices the model knows), stored canonically as 8-bit grey, and the
 * frame's stats are recomputed from what was stored, so the UI and the export agree on what the mask holds.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FrameLabel } from '../shared/ipc-contract';
import { isBinary } from '../shared/onnx-contract';
import { decodePng, encodePng, type PngImage } from '../dataset/png';
import { maskLayerStats } from '../masks';
import { atomicWriteFile } from '../util/atomic-write';
import { AppError } from './app-error';
import type { ProjectStore } from './project-store';

/** Class indices of a decoded mask: grey/palette as is; RGB(A) only when every pixel is grey (R = G = B). */
export function classIndices(image: PngImage): Uint8Array {
  if (image.channels === 1) return image.data;
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  const ch = image.channels;
  for (let i = 0; i < n; i++) {
    const r = image.data[i * ch]!;
    if (ch >= 3 && (image.data[i * ch + 1] !== r || image.data[i * ch + 2] !== r)) {
      throw new AppError('bad-input', 'mask:save: the PNG is not a class-index mask (colour pixels found)');
    }
    out[i] = r;
  }
  return out;
}

export async function saveEditedMask(store: ProjectStore, videoId: string, index: number, png: Uint8Array): Promise<FrameLabel> {
  const entry = store.video(videoId);
  if (index >= entry.times.length) {
    throw new AppError('bad-input', `mask:save: frame ${index} does not exist (the video has ${entry.times.length} sampled frames)`);
  }
  let image: PngImage;
  const { width, height } = entry.probe;
  try {
    // The size is checked from the header, before anything is inflated, and inflating stops at that size.
    image = decodePng(png, { width, height });
  } catch (err) {
    const sized = /^PNG is (\d+x\d+), expected/.exec((err as Error).message);
    if (sized) throw new AppError('bad-input', `mask:save: mask is ${sized[1]}, the video is ${width}x${height}`);
    throw new AppError('bad-input', `mask:save: ${(err as Error).message}`);
  }
  const data = classIndices(image);
  const result = store.result(videoId);
  // Binary models write 0/1; multi-class models index their class list.
  const limit = result ? (isBinary(result.model) ? 2 : result.model.classes.length) : 256;
  const layers = maskLayerStats(data, width, height);
  const bad = layers.find((l) => l.classIndex >= limit);
  if (bad) throw new AppError('bad-input', `mask:save: class index ${bad.classIndex} is out of range (0..${limit - 1})`);
  const file = store.maskFile(videoId, index);
  await mkdir(dirname(file), { recursive: true });
  await atomicWriteFile(file, encodePng(width, height, 1, data));
  const label: FrameLabel = {
    index,
    timeSec: result?.frames[index]?.timeSec ?? entry.times[index]!,
    classes: layers.map((l) => l.classIndex),
    pixelCounts: layers.map((l) => l.pixels),
  };
  store.updateFrame(videoId, label);
  return label;
}
