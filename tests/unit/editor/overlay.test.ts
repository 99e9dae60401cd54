import { describe, expect, it } from 'vitest';
import { AVSS_PALETTE } from '../../../src-main/shared/avss-classes';
import { colourTable, paintOverlay } from '../../../src-renderer/editor/overlay';
import { object } from './fixture';

const raster = { width: 4, height: 3, data: Uint16Array.from([1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 2]) };
const objects = [object(1, { classIndex: 8 }), object(2, { classIndex: 15 })];

function pixel(out: Uint8ClampedArray, w: number, x: number, y: number): number[] {
  return [...out.subarray((y * w + x) * 4, (y * w + x) * 4 + 4)];
}

describe('overlay painter', () => {
  it('fill mode: palette colour at the fill alpha inside, a contrasting edge (white on dark colours)', () => {
    const out = new Uint8ClampedArray(4 * 3 * 4);
    paintOverlay(raster, colourTable(objects, { mode: 'fill', opacity: 0.5, selected: null }), { x: 0, y: 0, w: 4, h: 3 }, out);
    const [r, g, b] = AVSS_PALETTE[8]!; // navy-ish (64, 0, 0)? whatever the palette says: its own colour inside
    expect(pixel(out, 4, 1, 1)).toEqual([r, g, b, 128]);
    expect(pixel(out, 4, 2, 0)).toEqual([255, 255, 255, 255]); // next to background: edge, white on a dark class
    expect(pixel(out, 4, 3, 0)).toEqual([0, 0, 0, 0]);
  });

  it('outline mode draws edges only; off draws nothing; hidden objects are not drawn', () => {
    const table = colourTable(objects, { mode: 'outline', opacity: 0.5, selected: null });
    const out = new Uint8ClampedArray(4 * 3 * 4);
    paintOverlay(raster, table, { x: 0, y: 0, w: 4, h: 3 }, out);
    expect(pixel(out, 4, 1, 1)[3]).toBe(0);
    expect(pixel(out, 4, 2, 1)[3]).toBe(255);
    const off = new Uint8ClampedArray(48);
    paintOverlay(raster, colourTable(objects, { mode: 'off', opacity: 0.5, selected: null }), { x: 0, y: 0, w: 4, h: 3 }, off);
    expect(off.every((v) => v === 0)).toBe(true);
    const hidden = new Uint8ClampedArray(48);
    paintOverlay(raster, colourTable([object(1, { visible: false }), objects[1]!], { mode: 'fill', opacity: 1, selected: null }), { x: 0, y: 0, w: 4, h: 3 }, hidden);
    expect(pixel(hidden, 4, 1, 1)[3]).toBe(0);
    expect(pixel(hidden, 4, 3, 2)[3]).toBe(255);
  });

  it('paints a dirty sub-rectangle only', () => {
    const out = new Uint8ClampedArray(2 * 1 * 4);
    paintOverlay(raster, colourTable(objects, { mode: 'fill', opacity: 1, selected: null }), { x: 2, y: 2, w: 2, h: 1 }, out);
    expect(out[3]).toBe(255);
    expect(out[7]).toBe(255);
  });
});

describe('occupiedRect', () => {
  it('is the bounding box of the non-zero ids, null for an empty raster', async () => {
    const { occupiedRect } = await import('../../../src-renderer/editor/overlay');
    const r = { width: 6, height: 4, data: new Uint16Array(24) };
    expect(occupiedRect(r)).toBeNull();
    r.data[1 * 6 + 2] = 3;
    r.data[2 * 6 + 4] = 1;
    expect(occupiedRect(r)).toEqual({ x: 2, y: 1, w: 3, h: 2 });
  });
});
