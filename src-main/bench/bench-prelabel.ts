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
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAppCore, type AppCore } from '../ipc/app-core';
import { resolveFfmpeg } from '../media';
import { exportAvss } from '../pipeline/export-avss';
import { browserDialogs } from '../cli/serve-command';

export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  goal: string;
  note?: string;
}

export interface BenchOptions {
  model: string;
  /** Clip size (default 640x360, 25 fps, with a tone). */
  width?: number;
  height?: number;
  runs?: number;
  device?: 'cpu' | 'auto';
}

function makeClip(dir: string, width: number, height: number): string {
  const file = join(dir, 'bench-clip.mp4');
  execFileSync(resolveFfmpeg().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25:duration=10`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=10',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file], { stdio: 'pipe' });
  return file;
}

type Histogram = ReturnType<typeof monitorEventLoopDelay>;

/** One clip end to end; the lag histograms cover pre-labelling (inference) and export separately. */
async function oneClip(core: AppCore, videoId: string, outDir: string, device: 'cpu' | 'auto', lag: { prelabel: Histogram; export: Histogram }): Promise<number> {
  const start = performance.now();
  lag.prelabel.enable();
  await core.jobDone(core.startPrelabel(videoId, device));
  lag.prelabel.disable();
  lag.export.enable();
  await exportAvss(core.store, videoId, { split: 'train', outDir });
  lag.export.disable();
  return (performance.now() - start) / 1000;
}

export async function benchPrelabel(opts: BenchOptions): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-'));
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const device = opts.device ?? 'cpu';
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(dir), modelPath: opts.model, workParent: dir });
  try {
    const video = await core.openVideo(makeClip(dir, width, height));
    const lag = { prelabel: monitorEventLoopDelay({ resolution: 1 }), export: monitorEventLoopDelay({ resolution: 1 }) };
    const cold = await oneClip(core, video.videoId, join(dir, 'out'), device, lag);
    const warm: number[] = [];
    for (let i = 0; i < (opts.runs ?? 3); i++) warm.push(await oneClip(core, video.videoId, join(dir, 'out'), device, lag));
    warm.sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)]!;
    const provider = core.host.provider?.active ?? 'unknown';
    const clip = `${width}x${height} 10-s clip, ${provider}`;
    return [
      { name: 'prelabel_export_10s_clip_s', value: round(median), unit: 's', goal: '<= 1.0', note: `median of ${warm.length} warm runs; ${clip}` },
      { name: 'prelabel_export_10s_clip_cold_s', value: round(cold), unit: 's', goal: 'info', note: `first run incl. session creation; ${clip}` },
      { name: 'event_loop_lag_p99_ms', value: ms(lag.prelabel.percentile(99)), unit: 'ms', goal: '<= 20', note: 'main thread while pre-labelling (inference)' },
      { name: 'event_loop_lag_max_ms', value: ms(lag.prelabel.max), unit: 'ms', goal: '<= 20', note: 'main thread while pre-labelling (inference)' },
      { name: 'event_loop_lag_export_max_ms', value: ms(lag.export.max), unit: 'ms', goal: 'info', note: 'main thread while writing the AVSS clip (PNG encoding is synchronous)' },
    ];
  } finally {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function ms(nanoseconds: number): number {
  return round(nanoseconds / 1e6);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
