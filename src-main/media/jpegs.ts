/**
 * writeFrameJpegs: the sampled frames at full display size as `{k}.jpg`, encoded by ffmpeg.
 * The frames are chosen by exact pts (microseconds, as streamFrames reported them) with a `select` filter, so the
 * JPEG of sample k is the very frame the model saw, and only those frames are scaled and encoded (shipping every
 * 1080p frame through a pipe to pick in Node would cost ~6 MB per decoded frame).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from './ffmpeg-binaries';
import { inputArgs, orientArgs, streamFrames, type FramePick } from './frames';
import { probeVideo, type VideoProbe } from './probe';
import { lastErrorLine, MediaError, startTool } from './run-tool';
import { CancelledError } from '../util/abort';

export interface JpegOptions {
  probe?: VideoProbe;
  /** Picks from a previous streamFrames call for the same instants (saves one decoding pass). */
  picks?: readonly FramePick[];
  /** Output size; defaults to the display size. */
  width?: number;
  height?: number;
  /** ffmpeg -q:v, 2 (best) .. 31; 2 keeps annotation-grade detail. */
  quality?: number;
  /** File name for sample k; default `${k}.jpg` (AVSS layout). */
  name?: (k: number) => string;
  signal?: AbortSignal;
}

/** Frames per ffmpeg run: bounds the select expression (evaluated for every decoded frame). */
const CHUNK = 48;
/** Numbers each call's temp files: runs into the same folder at once (a frame and its batch) never share names. */
let runSeq = 0;

/** Writes one JPEG per instant of `times` into `outDir` (created if needed); returns the paths in `times` order. */
export async function writeFrameJpegs(
  file: string,
  times: readonly number[],
  outDir: string,
  opts: JpegOptions = {},
): Promise<string[]> {
  const probe = opts.probe ?? (await probeVideo(file, opts.signal));
  // Without picks, find the frames with a cheap pass at a tiny size (same selection rule as streamFrames).
  const picks = opts.picks ?? (await streamFrames(file, times, { width: 8, height: 8, probe, ...(opts.signal ? { signal: opts.signal } : {}) }, () => undefined));
  if (picks.length !== times.length) throw new RangeError('picks must match times one to one');
  await fs.mkdir(outDir, { recursive: true });
  const width = opts.width ?? probe.width;
  const height = opts.height ?? probe.height;
  const name = opts.name ?? ((k: number) => `${k}.jpg`);
  const unique = [...new Set(picks.map((p) => p.ptsUs))].sort((a, b) => a - b);
  const encoded = new Map<number, string>();
  const run = runSeq++;
  for (let c = 0; c < unique.length; c += CHUNK) {
    const batch = unique.slice(c, c + CHUNK);
    const stem = path.join(outDir, `.frames-${process.pid}-${run}-${c}-`);
    await encodeBatch(file, probe, batch, `${stem}%d.jpg`, { width, height, quality: opts.quality ?? 2, signal: opts.signal });
    batch.forEach((pts, i) => encoded.set(pts, `${stem}${i}.jpg`));
  }
  const out: string[] = [];
  try {
    for (let k = 0; k < picks.length; k++) {
      const src = encoded.get(picks[k]!.ptsUs)!;
      const dest = path.join(outDir, name(k));
      await fs.copyFile(src, dest);
      out.push(dest);
    }
  } finally {
    await Promise.all([...encoded.values()].map((f) => fs.rm(f, { force: true })));
  }
  return out;
}

async function encodeBatch(
  file: string,
  probe: VideoProbe,
  ptsUs: readonly number[],
  pattern: string,
  o: { width: number; height: number; quality: number; signal: AbortSignal | undefined },
): Promise<void> {
  const firstRel = ptsUs[0]! / 1e6 - probe.startSec;
  const select = ptsUs.map((p) => `eq(pts,${p})`).join('+');
  const filter = `settb=AVTB,select='${select}',${orientArgs(probe)}scale=${o.width}:${o.height}:flags=bicubic`;
  const args = [
    ...inputArgs(file, probe, firstRel), '-vf', filter, '-vsync', '0', '-frames:v', String(ptsUs.length),
    '-q:v', String(o.quality), '-pix_fmt', 'yuvj420p', '-f', 'image2', '-start_number', '0', '-y', pattern,
  ];
  const tool = startTool(resolveFfmpeg().ffmpeg, args, o.signal ? { signal: o.signal } : {});
  tool.child.stdout.resume();
  const code = await tool.exited;
  if (tool.killed()) throw new CancelledError();
  if (code !== 0) throw new MediaError(file, `cannot write frame JPEGs (${lastErrorLine(tool.stderrTail())})`);
  for (let i = 0; i < ptsUs.length; i++) {
    const exists = await fs.stat(pattern.replace('%d', String(i))).then(() => true, () => false);
    if (!exists) throw new MediaError(file, `frame at ${(ptsUs[i]! / 1e6).toFixed(3)} s could not be re-selected`);
  }
}
