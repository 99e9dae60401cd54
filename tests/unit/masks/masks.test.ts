import { describe, expect, it } from 'vitest';
import { classesPresent, logitsToMask, logitsToMasks, maskLayerStats, resizeBilinear } from '../../../src-main/masks';

describe('resizeBilinear (align_corners=False)', () => {
  const src = Float32Array.from({ length: 12 }, (_, i) => i ** 1.5);
  it('matches torch.nn.functional.interpolate when upsampling and downsampling', () => {
    // Values from torch 2.13: F.interpolate(x, size, mode='bilinear', align_corners=False), x = arange(12)^1.5 [3,4].
    const up = [0.0, 0.35714, 0.92857, 1.91421, 2.99755, 4.35054, 5.19615, 3.2, 3.86862, 4.93841, 6.32398, 7.78654,
      9.47224, 10.5258, 8.0, 9.13584, 10.95317, 12.93864, 14.97003, 17.15479, 18.52026, 16.77645, 18.16777, 20.39388,
      22.76229, 25.16997, 27.71019, 29.29783, 22.62742, 24.18905, 26.68767, 29.31139, 31.96992, 34.74712, 36.48287];
    Array.from(resizeBilinear(src, 4, 3, 7, 5)).forEach((v, i) => expect(v).toBeCloseTo(up[i]!, 3));
    const down = [2.25751, 4.67032, 8.07191, 19.64965, 25.2182, 31.2254];
    Array.from(resizeBilinear(src, 4, 3, 3, 2)).forEach((v, i) => expect(v).toBeCloseTo(down[i]!, 3));
  });
});

describe('logitsToMask', () => {
  it('binary: sigmoid > 0.5 after upsampling, foreground gets the caller class', () => {
    // 2x2 logits, left column positive: at 4x4 the left half is foreground.
    const logits = Float32Array.from([3, -3, 3, -3]);
    const m = logitsToMask(logits, { frames: 1, classes: 1, height: 2, width: 2 }, 0, { width: 4, height: 4, foregroundClass: 28 });
    expect(Array.from(m.data)).toEqual([28, 28, 0, 0, 28, 28, 0, 0, 28, 28, 0, 0, 28, 28, 0, 0]);
    expect(m.layers).toEqual([{ classIndex: 28, pixels: 8, bbox: { x: 0, y: 0, width: 2, height: 4 } }]);
    // Exactly 0 is sigmoid 0.5: not sounding.
    const zero = logitsToMask(new Float32Array(4), { frames: 1, classes: 1, height: 2, width: 2 }, 0, { width: 3, height: 3 });
    expect(zero.layers).toEqual([]);
  });

  it('multi-class: argmax of upsampled logits over the classes present, odd output size', () => {
    const s = { frames: 2, classes: 71, height: 4, width: 4 };
    const logits = new Float32Array(2 * 71 * 16).fill(-5);
    const set = (t: number, c: number, y: number, x: number, v: number): void => {
      logits[((t * 71 + c) * 4 + y) * 4 + x] = v;
    };
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) set(0, 0, y, x, 1); // background everywhere...
    set(0, 28, 0, 0, 9); // ...except guitar top-left
    set(0, 70, 3, 3, 9); // and woman bottom-right
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) set(1, 7, y, x, 2); // frame 1: all bird
    expect(classesPresent(logits, s, 0)).toEqual([0, 28, 70]);
    const [m0, m1] = logitsToMasks(logits, s, { width: 33, height: 17 });
    expect(m0!.data.length).toBe(33 * 17);
    expect(m0!.data[0]).toBe(28);
    expect(m0!.data[33 * 17 - 1]).toBe(70);
    expect(m0!.data[8 * 33 + 16]).toBe(0);
    expect(m0!.layers.map((l) => l.classIndex)).toEqual([28, 70]);
    const guitar = m0!.layers[0]!;
    expect(guitar.bbox.x).toBe(0);
    expect(guitar.bbox.y).toBe(0);
    expect(guitar.pixels).toBeGreaterThan(0);
    expect(m1!.data.every((v) => v === 7)).toBe(true);
    expect(m1!.layers).toEqual([{ classIndex: 7, pixels: 33 * 17, bbox: { x: 0, y: 0, width: 33, height: 17 } }]);
  });

  it('agrees with a full argmax over all upsampled planes on random logits', () => {
    const s = { frames: 1, classes: 5, height: 6, width: 5 };
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
    const logits = Float32Array.from({ length: 5 * 30 }, rand);
    const m = logitsToMask(logits, s, 0, { width: 13, height: 11 });
    const planes = Array.from({ length: 5 }, (_, c) => resizeBilinear(logits.subarray(c * 30, (c + 1) * 30), 5, 6, 13, 11));
    let differ = 0;
    for (let p = 0; p < 13 * 11; p++) {
      let best = 0;
      for (let c = 1; c < 5; c++) if (planes[c]![p]! > planes[best]![p]!) best = c;
      if (best !== m.data[p]) differ++;
    }
    // Restricting to classes present at model resolution is exact unless an absent class wins between grid points.
    expect(differ / (13 * 11)).toBeLessThan(0.05);
  });

  it('rejects bad shapes', () => {
    expect(() => logitsToMask(new Float32Array(3), { frames: 1, classes: 1, height: 2, width: 2 }, 0, { width: 2, height: 2 })).toThrow(RangeError);
    expect(() => logitsToMask(new Float32Array(4), { frames: 1, classes: 1, height: 2, width: 2 }, 1, { width: 2, height: 2 })).toThrow(RangeError);
  });
});

describe('maskLayerStats', () => {
  it('counts pixels and boxes per class, background excluded', () => {
    const mask = Uint8Array.from([0, 3, 3, 0, 0, 0, 3, 5, 0]);
    expect(maskLayerStats(mask, 3, 3)).toEqual([
      { classIndex: 3, pixels: 3, bbox: { x: 0, y: 0, width: 3, height: 3 } },
      { classIndex: 5, pixels: 1, bbox: { x: 1, y: 2, width: 1, height: 1 } },
    ]);
  });
});
