/**
 * Small radix-2 real FFT in float64, enough for the VGGish front end (n = 512) without a dependency.
 * A real signal of length n is packed into n/2 complex points (even samples real, odd imaginary), transformed
 * with an iterative Cooley-Tukey FFT, then split into the n/2 + 1 non-negative-frequency bins: half the work
 * of a complex FFT of the zero-imaginary signal. Tables are built once per size; per-call work allocates nothing.
 */
export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  private readonly bitrev: Uint32Array;
  private readonly cos: Float64Array; // twiddles of the n/2-point complex FFT
  private readonly sin: Float64Array;
  private readonly splitCos: Float64Array; // e^{-2 pi i k / n}, k = 0..n/2, for the real split
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
    this.size = size;
    this.half = size / 2;
    this.bins = this.half + 1;
    const m = this.half;
    const bits = Math.log2(m);
    this.bitrev = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitrev[i] = r;
    }
    this.cos = new Float64Array(m / 2);
    this.sin = new Float64Array(m / 2);
    for (let k = 0; k < m / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / m);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / m);
    }
    this.splitCos = new Float64Array(m + 1);
    this.splitSin = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.splitSin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
  }

  /**
   * |rfft(input)|: `input` has up to `size` samples (shorter input is zero-padded, like numpy's rfft(x, n));
   * writes `bins` magnitudes into `out`.
   */
  magnitude(input: ArrayLike<number>, out: Float64Array): void {
    const m = this.half;
    const { re, im } = this;
    for (let k = 0; k < m; k++) {
      const j = this.bitrev[k]!;
      const a = 2 * k < input.length ? input[2 * k]! : 0;
      const b = 2 * k + 1 < input.length ? input[2 * k + 1]! : 0;
      re[j] = a;
      im[j] = b;
    }
    this.complexInPlace();
    for (let k = 0; k <= m; k++) {
      const zr = re[k % m]!;
      const zi = im[k % m]!;
      const cr = re[(m - k) % m]!; // conj(Z[m - k]) = (cr, -ci)
      const ci = -im[(m - k) % m]!;
      const er = (zr + cr) / 2; // even part
      const ei = (zi + ci) / 2;
      const dr = (zr - cr) / 2; // odd part = d / i = (di, -dr)
      const di = (zi - ci) / 2;
      const or = di;
      const oi = -dr;
      const wr = this.splitCos[k]!;
      const wi = this.splitSin[k]!;
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      // Not Math.hypot: its overflow care costs ~10x here (a third of the audio panel's reduction time), and
      // magnitudes of [-1, 1] audio are far from overflowing.
      out[k] = Math.sqrt(xr * xr + xi * xi);
    }
  }

  private complexInPlace(): void {
    const m = this.half;
    const { re, im } = this;
    for (let len = 2; len <= m; len <<= 1) {
      const halfLen = len >> 1;
      const step = m / len;
      for (let start = 0; start < m; start += len) {
        for (let j = 0; j < halfLen; j++) {
          const wr = this.cos[j * step]!;
          const wi = this.sin[j * step]!;
          const a = start + j;
          const b = a + halfLen;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
  }
}
