// Mask files of projects: lossless both ways, 8-bit while every id is below 256 and 16-bit above, refused with
// a reason when truncated or the wrong size; a dataset reader (decodePng without allow16) never takes a 16-bit
// file for a class mask.
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../../src-main/dataset/png';
import { decodeRaster, encodeRaster } from '../../../src-main/project/raster-file';

const raster = (ids: number[], width = 4) => ({ width, height: ids.length / width, data: Uint16Array.from(ids) });
const depthOf = (png: Buffer): number => png[24]!;

describe('raster files', () => {
  it('round-trips ids below 256 as 8-bit grey', async () => {
    const r = raster([0, 1, 2, 255, 7, 7, 7, 0]);
    const png = await encodeRaster(r);
    expect(depthOf(png)).toBe(8);
    expect(decodeRaster(png, 4, 2)).toEqual(r);
  });

  it('round-trips ids above 255 as 16-bit grey, which dataset readers refuse', async () => {
    const r = raster([0, 256, 65535, 300, 1, 2, 3, 4]);
    const png = await encodeRaster(r);
    expect(depthOf(png)).toBe(16);
    expect(decodeRaster(png, 4, 2)).toEqual(r);
    expect(() => decodePng(png)).toThrow('PNG bit depth 16 is not supported');
  });

  it('refuses truncated files and the wrong size with a reason', async () => {
    const png = await encodeRaster(raster(Array.from({ length: 64 }, (_, i) => i % 5), 8));
    expect(() => decodeRaster(png.subarray(0, png.length - 20), 8, 8)).toThrow(/truncated|bad CRC|missing/);
    expect(() => decodeRaster(png, 4, 16)).toThrow('is 8x8, the video is 4x16');
  });
});
