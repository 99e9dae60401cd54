/**
 * Pixels in and out of the browser: a class-index mask PNG from main -> an object-id raster, an object raster ->
 * the class-index PNG of a frame (flattened with the project rule, `flattenToClasses`), and a frame
 * image -> RGBA for the magic wand.
 */
import { flattenToClasses, type ObjectRaster, type ProjectObject } from '../../src-main/shared/project-model';
import type { FrameImage } from '../editor/document';
import { createCanvas, type ClassIndexMask } from './mask-layers';

/** Class-index mask -> object raster, given which object stands for each class on this video. */
export function rasterFromClasses(mask: ClassIndexMask, objectOfClass: ReadonlyMap<number, number>): ObjectRaster {
  const lut = new Uint16Array(256);
  for (const [classIndex, id] of objectOfClass) lut[classIndex] = id;
  const data = new Uint16Array(mask.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[mask.data[i]!]!;
  return { width: mask.width, height: mask.height, data };
}

/** The frame's AVSS class map as a grey PNG (R = G = B = class index), base64, for `mask:save`. */
export async function classPngBase64(raster: ObjectRaster, objects: readonly ProjectObject[], second: number): Promise<string> {
  const classes = flattenToClasses(raster, objects, second);
  const { canvas, ctx } = createCanvas(raster.width, raster.height);
  const image = ctx.createImageData(raster.width, raster.height);
  const px = image.data;
  for (let i = 0, j = 0; i < classes.length; i++, j += 4) {
    const c = classes[i]!;
    px[j] = c; px[j + 1] = c; px[j + 2] = c; px[j + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** RGBA of a decoded frame at the video's size (for the magic wand). */
export function frameImageOf(source: CanvasImageSource, width: number, height: number): FrameImage {
  const { ctx } = createCanvas(width, height);
  ctx.drawImage(source, 0, 0, width, height);
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}
