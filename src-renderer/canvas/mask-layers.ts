/**
 * Class-index mask PNG -> one RGBA canvas per class, painted in the class's palette colour.
 * These canvases are the editable raster of each layer: Konva shows them as images, and the brush/eraser tools
 * (editor issue) will paint into them directly and call `batchDraw()`, so nothing here depends on Vue or Konva.
 * Canvases are created with `willReadFrequently` because tools and mask:save read them back often.
 */
import { classColour } from './palette';

/** Decoded single-channel mask, video size, one class index per pixel (row-major). */
export interface ClassIndexMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface ClassLayerRaster {
  classIndex: number;
  canvas: HTMLCanvasElement;
  pixelCount: number;
}

export function createCanvas(width: number, height: number): {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
} {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available');
  return { canvas, ctx };
}

/**
 * Decodes PNG bytes to class indices. Colour conversion is switched off so an 8-bit grey value arrives unchanged
 * (a colour-managed decode could shift index 7 to 6); the red channel carries the index for grey and RGB PNGs.
 */
export async function decodeClassMask(png: Blob): Promise<ClassIndexMask> {
  const bitmap = await createImageBitmap(png, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const { ctx } = createCanvas(bitmap.width, bitmap.height);
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const data = new Uint8Array(bitmap.width * bitmap.height);
    for (let i = 0, j = 0; i < data.length; i++, j += 4) data[i] = rgba[j]!;
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
}

/** Counts pixels per class index (background 0 included), in one pass. */
export function countClasses(mask: ClassIndexMask): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of mask.data) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * One raster per class present (background excluded), ascending by class index so the z-order is stable.
 * `only` restricts the output to the classes main reported for the frame.
 */
export function splitClassLayers(mask: ClassIndexMask, only?: readonly number[]): ClassLayerRaster[] {
  const counts = countClasses(mask);
  const wanted = [...counts.keys()].filter((c) => c !== 0 && (!only || only.includes(c))).sort((a, b) => a - b);
  return wanted.map((classIndex) => {
    const { canvas, ctx } = createCanvas(mask.width, mask.height);
    const image = ctx.createImageData(mask.width, mask.height);
    const [r, g, b] = classColour(classIndex);
    const px = image.data;
    for (let i = 0, j = 0; i < mask.data.length; i++, j += 4) {
      if (mask.data[i] !== classIndex) continue;
      px[j] = r; px[j + 1] = g; px[j + 2] = b; px[j + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    return { classIndex, canvas, pixelCount: counts.get(classIndex) ?? 0 };
  });
}
