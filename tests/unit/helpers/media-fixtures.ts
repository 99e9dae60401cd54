/**
 * Test media generated at test time with ffmpeg lavfi sources (nothing binary is committed). Frame n of every
 * "counter" video encodes n in its brightness: left half luma 16 + 13 * (n mod 16), right half 16 + 13 * (n div 16),
 * so a test can read back which frame it got.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundledPath, resolveFfmpeg, spawnEnvFor } from '../../../src-main/media/ffmpeg-binaries';

const run = promisify(execFile);

export async function makeTempDir(prefix = 'avs-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Generates media with the bundled 2018 ffmpeg when present (it has libx264 and still writes `rotate` tags, which
 * ffmpeg >= 5 ignores), so the code under test can be pointed at another build with AVS_FFMPEG.
 */
export async function ffmpeg(args: string[]): Promise<void> {
  const bin = bundledPath('ffmpeg') ?? resolveFfmpeg().ffmpeg;
  const env = spawnEnvFor(bin);
  await run(bin, ['-hide_banner', '-v', 'error', '-y', ...args], env ? { env } : {});
}

const COUNTER_LUM = "if(lt(X,W/2),16+13*mod(N,16),16+13*floor(N/16))";

/** The counter filter on a nullsrc of the given size and rate. */
export function counterSource(width: number, height: number, rate: number, seconds: number): string {
  return `nullsrc=size=${width}x${height}:rate=${rate}:duration=${seconds},format=yuv444p,geq=lum='${COUNTER_LUM}':cb=128:cr=128`;
}

/** Reads the frame number back from packed rgb24 (grey levels; tolerant to compression and scaling). */
export function decodeCounter(rgb: Uint8Array, width: number, height: number): number {
  let left = 0;
  let right = 0;
  let nl = 0;
  let nr = 0;
  // Sample the centre of each half, away from the edge where scaling blends the halves.
  for (let y = Math.floor(height / 4); y < Math.ceil((3 * height) / 4); y++) {
    for (let x = 0; x < width; x++) {
      const v = rgb[(y * width + x) * 3 + 1]!;
      if (x < width * 0.375 && x >= width * 0.125) { left += v; nl++; }
      if (x >= width * 0.625 && x < width * 0.875) { right += v; nr++; }
    }
  }
  const luma = (v: number): number => 16 + (v * 219) / 255; // full-range RGB back to limited-range Y
  const digit = (v: number): number => Math.round((luma(v) - 16) / 13);
  return digit(left / nl) + 16 * digit(right / nr);
}

/** Constant-rate counter video, optionally with a sine tone. */
export async function makeCounterVideo(
  file: string,
  o: { width: number; height: number; rate: number; seconds: number; toneHz?: number; pixFmt?: string; extra?: string[] },
): Promise<void> {
  const args = ['-f', 'lavfi', '-i', counterSource(o.width, o.height, o.rate, o.seconds)];
  if (o.toneHz) args.push('-f', 'lavfi', '-i', `sine=frequency=${o.toneHz}:sample_rate=44100:duration=${o.seconds}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', o.pixFmt ?? 'yuv420p', '-g', '12');
  if (o.toneHz) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push(...(o.extra ?? []), file);
  await ffmpeg(args);
}

/**
 * Variable frame rate counter video: frame n is shown at ptsSec[n] (ms precision). Returns the pts list.
 * Gaps include one longer than a second so two sampled instants share a frame.
 */
export async function makeVfrVideo(file: string, ptsSec: readonly number[]): Promise<void> {
  // setpts reads the n-th timestamp from a nested if() chain over N.
  let expr = `${Math.round(ptsSec[ptsSec.length - 1]! * 1000)}`;
  for (let n = ptsSec.length - 2; n >= 0; n--) expr = `if(eq(N,${n}),${Math.round(ptsSec[n]! * 1000)},${expr})`;
  const src = `${counterSource(64, 48, 10, ptsSec.length / 10)},settb=1/1000,setpts='${expr}'`;
  await ffmpeg(['-f', 'lavfi', '-i', src, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-vsync', 'vfr', '-video_track_timescale', '1000', file]);
}

/** A 64x32 video with a white square in its stored top-left corner, tagged rotate=90. */
export async function makeRotatedVideo(file: string): Promise<void> {
  const plain = `${file}.plain.mp4`;
  await ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=64x32:rate=5:duration=1,drawbox=x=0:y=0:w=12:h=12:color=white:t=fill',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', plain]);
  await ffmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', file]);
  await fs.rm(plain);
}

/**
 * A 64x32 video whose only content is a white square in the stored top-left corner, with the track's display
 * matrix set to `matrix` ([a, b, c, d], the 2x2 part in ffmpeg's order, entries -1/0/1). ffmpeg 5.1 cannot write
 * a flip (no -display_hflip), so the tkhd matrix of the MP4 is patched in place, as a phone or editor writes it.
 */
export async function makeMatrixVideo(file: string, matrix: [number, number, number, number]): Promise<void> {
  await ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=64x32:rate=5:duration=1,drawbox=x=0:y=0:w=12:h=12:color=white:t=fill',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  const bytes = await fs.readFile(file);
  const at = bytes.indexOf('tkhd');
  if (at < 0) throw new Error(`${file}: no tkhd box`);
  // Matrix offset after the box type: version/flags, times, track id, duration (v0: 20 bytes, v1: 32), 16 more.
  const base = at + 4 + 4 + (bytes[at + 4] === 1 ? 32 : 20) + 16;
  const [a, b, c, d] = matrix;
  const entries = [a * 65536, b * 65536, 0, c * 65536, d * 65536, 0, 0, 0, 0x40000000];
  entries.forEach((value, i) => bytes.writeInt32BE(value, base + i * 4));
  await fs.writeFile(file, bytes);
}

/** Magnitude of the discrete-time Fourier transform of `x` at `hz` (naive; tests only). */
export function toneMagnitude(x: Float32Array, hz: number, rate: number): number {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI * hz) / rate;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos(w * i);
    im -= x[i]! * Math.sin(w * i);
  }
  return Math.hypot(re, im) / x.length;
}
