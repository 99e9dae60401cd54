/**
 * Dataset benchmarks, printed as JSON lines {name, value, unit, goal}:
 *  - export_100_avss_clips_s: seconds to export 100 AVSS v2 clips (10 videos x 100 s, 640x360, two objects per
 *    frame) through exportDataset: frame copy, mask flattening and PNG encoding, WAV, one transaction. Frames
 *    are real JPEGs made by ffmpeg beforehand (not timed); audio is synthesised in memory (not decoded).
 *  - prelabel_peak_rss_mb_{N}min: peak resident memory (MB) of `avs-annotator prelabel` (the CLI process and its
 *    inference worker together, sampled from /proc every 100 ms) on an N-minute 1080p video with sound; goal
 *    <= 1024 MB and flat in the video's length. The long videos are one generated minute repeated by stream
 *    copy (cheap to make; every frame is still decoded). Linux only (/proc). Lengths: `--long-minutes 10,60`.
 *  - prelabel_peak_rss_growth_mb: the longest length's peak minus the shortest's, so "flat" is a number.
 * Registered as `export` and `prelabel-rss` (`npm run bench -- --only export,prelabel-rss`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDataset, memorySource, type MemoryVideo } from '../dataset';
import { frameSampleTimes, probeVideo, resolveFfmpeg, writeFrameJpegs } from '../media';
import { registerBenchmark, type BenchLine } from './registry';

function ffmpeg(args: string[]): void {
  execFileSync(resolveFfmpeg().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'pipe' });
}

export async function benchExport(clips = 100): Promise<BenchLine> {
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-export-'));
  try {
    const seconds = 100;
    const file = join(dir, 'src.mp4');
    ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=10:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
    const probe = await probeVideo(file);
    const jpegs = await writeFrameJpegs(file, frameSampleTimes(probe), join(dir, 'frames'), { probe });
    const { width, height } = probe;
    const videos: MemoryVideo[] = Array.from({ length: Math.ceil(clips / 10) }, (_, v) => ({
      id: `v${v}`, name: `video${v}`, width, height,
      objects: [1, 2].map((id) => ({ id, classIndex: id * 20, visible: true, locked: false, z: id, sounding: new Array<boolean>(seconds).fill(true) })),
      frames: jpegs.map((image, k) => {
        const data = new Uint16Array(width * height);
        for (let p = 0; p < data.length; p++) data[p] = p % width < width / 3 ? 1 : (p + k * 7) % width > (2 * width) / 3 ? 2 : 0;
        return { image, raster: { width, height, data } };
      }),
      audio: async (s, d) => Float32Array.from({ length: Math.round(d * 16000) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * (s * 16000 + i)) / 16000)),
    }));
    const t0 = performance.now();
    const res = await exportDataset(memorySource(videos, dir), join(dir, 'out'), { format: 'avss', splits: new Map() });
    const secondsTaken = (performance.now() - t0) / 1000;
    return { name: 'export_100_avss_clips_s', value: Number(secondsTaken.toFixed(2)), unit: 's', goal: 'info', note: `${res.clips} clips of 10 frames at ${width}x${height}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RSS (kB) of `pid` and all its descendants, from /proc. */
function treeRssKb(pid: number): number {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  for (const p of parent.keys()) {
    let q: number | undefined = p;
    while (q !== undefined && q !== pid && q > 1) q = parent.get(q);
    if (q !== pid) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch {
      // ended
    }
  }
  return total;
}

function makeLongVideo(dir: string, minutes: number): string {
  const minute = join(dir, 'minute.mp4');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=5:duration=60', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=60',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-g', '50', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', minute]);
  const list = join(dir, 'list.txt');
  writeFileSync(list, Array.from({ length: minutes }, () => `file '${minute}'\n`).join(''));
  const out = join(dir, `long-${minutes}min.mp4`);
  ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', out]);
  return out;
}

export async function benchPrelabelRss(cli: string, model: string, minutes: number): Promise<BenchLine> {
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-rss-'));
  try {
    const video = makeLongVideo(dir, minutes);
    let peak = 0;
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [cli, 'prelabel', video, '--out', join(dir, 'out'), '--model', model, '--device', 'cpu'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
      const timer = setInterval(() => { if (child.pid) peak = Math.max(peak, treeRssKb(child.pid)); }, 100);
      child.on('exit', (c) => {
        clearInterval(timer);
        if (c !== 0) process.stderr.write(stderr);
        resolve(c);
      });
    });
    const took = (performance.now() - t0) / 1000;
    return {
      name: `prelabel_peak_rss_mb_${minutes}min`, value: Math.round(peak / 1024), unit: 'MB', goal: '<= 1024, flat in length',
      note: `1080p5 with sound, CLI + worker, ${code === 0 ? `${took.toFixed(0)} s` : `FAILED exit ${code}`}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

registerBenchmark({ id: 'export', title: 'dataset export: 100 AVSS clips', run: async () => [await benchExport(100)] });

registerBenchmark({
  id: 'prelabel-rss',
  title: 'pre-label peak memory, long 1080p videos',
  run: async (ctx) => {
    // The real CLI entry, run as its own process so its memory is measured alone (this file is dist/main/bench.mjs).
    const cli = join(import.meta.dirname, '..', '..', 'bin', 'avs-annotator.mjs');
    if (!existsSync(cli)) throw new Error(`${cli} not found`);
    const lines: BenchLine[] = [];
    for (const minutes of (ctx.extra['long-minutes'] ?? '10,60').split(',').map(Number).sort((a, b) => a - b)) {
      ctx.log(`prelabel-rss: ${minutes}-min video`);
      lines.push(await benchPrelabelRss(cli, ctx.model, minutes));
    }
    if (lines.length >= 2) {
      const [shortest, longest] = [lines[0]!, lines[lines.length - 1]!];
      lines.push({
        name: 'prelabel_peak_rss_growth_mb', value: longest.value - shortest.value, unit: 'MB', goal: '<= 64 (flat in length)',
        note: `${longest.name} minus ${shortest.name} (sampling noise is a few tens of MB on a loaded machine)`,
      });
    }
    return lines;
  },
});
