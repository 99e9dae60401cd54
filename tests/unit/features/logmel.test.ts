import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipAudio, logMelExamples, numExamples, RealFft } from '../../../src-main/features';
import { hertzToMel, melMatrix, periodicHann } from '../../../src-main/features/mel';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/logmel');

interface Manifest { cases: { name: string; samples: number; sampleRate: number; examples: number }[] }

function readF32(file: string): Float32Array {
  const buf = readFileSync(file);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4); // explicit little-endian
  return out;
}

const manifest = JSON.parse(readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8')) as Manifest;

describe('log-mel parity with the Python reference', () => {
  it('has the fixture cases (speech-like, tones, noise, silence, short, long)', () => {
    expect(manifest.cases.map((c) => c.name)).toEqual(expect.arrayContaining(['speech', 'silence', 'short', 'long']));
  });

  for (const c of manifest.cases) {
    it(`${c.name}: matches within 1e-4`, () => {
      const wave = readF32(path.join(FIXTURES, `${c.name}.wave.f32`));
      const expected = readF32(path.join(FIXTURES, `${c.name}.logmel.f32`));
      expect(wave.length).toBe(c.samples);
      const got = logMelExamples(wave, c.sampleRate);
      expect(got.count).toBe(c.examples);
      expect(got.data.length).toBe(expected.length);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - expected[i]!));
      expect(worst).toBeLessThan(1e-4);
    });
  }
});

describe('front-end pieces', () => {
  it('real FFT matches a direct DFT', () => {
    const n = 64;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1) + (i % 5) * 0.1);
    const out = new Float64Array(n / 2 + 1);
    new RealFft(n).magnitude(x, out);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        re += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
        im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
      }
      expect(out[k]).toBeCloseTo(Math.hypot(re, im), 10);
    }
    expect(() => new RealFft(100)).toThrow(RangeError);
  });

  it('uses the periodic Hann window and HTK mel', () => {
    const w = periodicHann(400);
    expect(w[0]).toBe(0);
    expect(w[200]).toBeCloseTo(1, 12);
    expect(w[399]).toBeGreaterThan(0); // periodic: not symmetric back to 0
    expect(hertzToMel(700)).toBeCloseTo(1127 * Math.log(2), 10);
    const mel = melMatrix();
    expect(mel.slice(0, 64).every((v) => v === 0)).toBe(true); // DC excluded
  });

  it('counts examples like the reference', () => {
    expect(numExamples(399)).toBe(0);
    expect(numExamples(15600)).toBe(1); // 1 + (15600 - 400) / 160 = 96 frames
    expect(numExamples(15599)).toBe(0);
    expect(numExamples(160000)).toBe(10);
    expect(() => logMelExamples(new Float32Array(100), 44100)).toThrow(RangeError);
  });

  it('a tone lights the mel band around its frequency', () => {
    const wave = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const { data } = logMelExamples(wave);
    const row = Array.from(data.subarray(50 * 64, 51 * 64));
    const peak = row.indexOf(Math.max(...row));
    // Band centres are evenly spaced in mel between 125 and 7500 Hz: find the one nearest 1000 Hz.
    const centres = Array.from({ length: 64 }, (_, i) => hertzToMel(125) + ((hertzToMel(7500) - hertzToMel(125)) * (i + 1)) / 65);
    const target = hertzToMel(1000);
    const nearest = centres.reduce((best, c, i) => (Math.abs(c - target) < Math.abs(centres[best]! - target) ? i : best), 0);
    expect(Math.abs(peak - nearest)).toBeLessThanOrEqual(1);
  });
});

describe('clipAudio', () => {
  const ex = (count: number): { data: Float32Array; count: number } => ({
    data: Float32Array.from({ length: count * 96 * 64 }, (_, i) => 1 + Math.floor(i / (96 * 64))),
    count,
  });

  it('repeats the last example (S4/MS3) or zero-pads (AVSS), with valid flags', () => {
    const rep = clipAudio(ex(3), 5, 'repeat');
    expect(rep.data.length).toBe(5 * 96 * 64);
    expect([0, 1, 2, 3, 4].map((k) => rep.data[k * 96 * 64])).toEqual([1, 2, 3, 3, 3]);
    expect(rep.valid).toEqual([true, true, true, false, false]);
    const zero = clipAudio(ex(3), 5, 'zero');
    expect([0, 1, 2, 3, 4].map((k) => zero.data[k * 96 * 64 + 100])).toEqual([1, 2, 3, 0, 0]);
    expect(zero.valid).toEqual(rep.valid);
  });

  it('cuts extra examples and gives zeros when there are none', () => {
    const cut = clipAudio(ex(12), 10, 'zero');
    expect(cut.data[9 * 96 * 64]).toBe(10);
    expect(cut.valid.every(Boolean)).toBe(true);
    const none = clipAudio(ex(0), 5, 'repeat');
    expect(none.data.every((v) => v === 0)).toBe(true);
    expect(none.valid).toEqual([false, false, false, false, false]);
    expect(() => clipAudio(ex(1), 2, 'wrap' as never)).toThrow(RangeError);
  });
});
