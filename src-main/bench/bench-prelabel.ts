/**
 * App benchmarks, printed as JSON lines {name, value, unit, goal}:
 *  - prelabel_export_10s_clip_s: seconds to pre-label one 10-s clip and export it as AVSS, session warm
 *    (steady state per clip); goal <= 1.0 s (>= 10x real time). The cold figure includes session creation.
 *  - event_loop_lag_p99_ms / _max_ms: main-thread event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms
 *    resolution) while pre-labelling; goal <= 20 ms. Inference, log-mel and mask work run in the worker
 *    process; the export phase is reported on its own (info).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { createAppCore, type AppCore } from '../ipc/app-core';
import { resolveFfmpeg } from '../media';
import { browserDialogs } from '../cli/serve-command';
import type { Transport } from '../inference/worker-channel';
import { registerBenchmark, type BenchLine } from './registry';

export interface BenchOptions {
  model: string;
  /** Clip size (default 640x360, 25 fps, with a tone). */
  width?: number;
  height?: number;
  runs?: number;
  device?: 'cpu' | 'auto';
  transport?: Transport;
}

export function makeClip(dir: string, width: number, height: number): string {
  const file = join(dir, 'bench-clip.mp4');
  execFileSync(resolveFfmpeg().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25:duration=10`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=10',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file], { stdio: 'pipe' });
  return file;
}

/** Per-phase lag: the worst p99 and max seen over the phase's runs (ms). */
interface PhaseLag {
  p99: number;
  max: number;
}

/**
 * Runs `work` and folds the monitor's figures for it into `into`. The monitor stays enabled for the whole bench
 * and is reset per phase: a monitor disabled and re-enabled counts the pause as one huge delay.
 */
async function monitored<T>(monitor: IntervalHistogram, into: PhaseLag, work: () => Promise<T>): Promise<T> {
  monitor.reset();
  const result = await work();
  into.p99 = Math.max(into.p99, monitor.percentile(99) / 1e6);
  into.max = Math.max(into.max, monitor.max / 1e6);
  return result;
}

interface Lag {
  monitor: IntervalHistogram;
  prelabel: PhaseLag;
  export: PhaseLag;
}

/** One clip end to end; lag is tracked for pre-labelling (inference) and export separately. */
async function oneClip(core: AppCore, videoId: string, outDir: string, device: 'cpu' | 'auto', lag: Lag): Promise<number> {
  const start = performance.now();
  await monitored(lag.monitor, lag.prelabel, () => core.jobDone(core.startPrelabel(videoId, device)));
  await monitored(lag.monitor, lag.export, () => core.exportAvss(outDir, 'train', { videoIds: [videoId] }));
  return (performance.now() - start) / 1000;
}

export async function benchPrelabel(opts: BenchOptions): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-'));
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const device = opts.device ?? 'cpu';
  const core = await createAppCore({
    mode: 'browser', dialogs: browserDialogs(dir), modelPath: opts.model, modelRequired: true, workParent: dir, ...(opts.transport ? { transport: opts.transport } : {}),
  });
  try {
    const video = await core.openVideo(makeClip(dir, width, height));
    const lag: Lag = { monitor: monitorEventLoopDelay({ resolution: 1 }), prelabel: { p99: 0, max: 0 }, export: { p99: 0, max: 0 } };
    lag.monitor.enable();
    const cold = await oneClip(core, video.videoId, join(dir, 'out'), device, lag);
    const warm: number[] = [];
    for (let i = 0; i < (opts.runs ?? 3); i++) warm.push(await oneClip(core, video.videoId, join(dir, 'out'), device, lag));
    lag.monitor.disable();
    warm.sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)]!;
    const provider = core.host.provider?.active ?? 'unknown';
    const clip = `${width}x${height} 10-s clip, ${provider}, worker ${core.host.transport}`;
    return [
      { name: 'prelabel_export_10s_clip_s', value: round(median), unit: 's', goal: '<= 1.0', note: `median of ${warm.length} warm runs; ${clip}` },
      { name: 'prelabel_export_10s_clip_cold_s', value: round(cold), unit: 's', goal: 'info', note: `first run incl. session creation; ${clip}` },
      { name: 'event_loop_lag_p99_ms', value: round(lag.prelabel.p99), unit: 'ms', goal: '<= 20', note: 'main thread while pre-labelling (inference); worst run' },
      { name: 'event_loop_lag_max_ms', value: round(lag.prelabel.max), unit: 'ms', goal: '<= 20', note: 'main thread while pre-labelling (inference)' },
      { name: 'event_loop_lag_export_max_ms', value: round(lag.export.max), unit: 'ms', goal: 'info', note: 'main thread while writing the AVSS clip (PNG encoding is synchronous)' },
    ];
  } finally {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

registerBenchmark({
  id: 'prelabel',
  title: 'pre-label + export of a 10-s clip, main-thread lag',
  run: (ctx) => benchPrelabel({ model: ctx.model, width: ctx.width, height: ctx.height, runs: ctx.runs, device: ctx.device, transport: ctx.transport }),
});
