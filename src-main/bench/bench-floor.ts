/**
 * The floor under the pre-label figure: the same 10-s clip's decode (10 frames at the model's input size +
 * 16 kHz audio, ffmpeg) and one forward pass of the model on those 10 frames (onnxruntime in the worker, session
 * warm). Pre-label time minus these two is our own overhead (features, masks, JPEGs, PNGs, IPC).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGMEL_BANDS, LOGMEL_FRAMES } from '../shared/onnx-contract';
import { InferenceHost } from '../inference/inference-host';
import { loadModelContract } from '../inference/onnx-metadata';
import { extractAudio, frameSampleTimes, probeVideo, streamFrames } from '../media';
import { makeClip } from './bench-prelabel';
import { registerBenchmark, type BenchContext, type BenchLine } from './registry';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

async function floor(ctx: BenchContext): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-floor-'));
  const host = new InferenceHost({ transport: ctx.transport });
  try {
    const contract = await loadModelContract(ctx.model);
    const [height, width] = contract.inputSize;
    const t = contract.framesPerClip;
    const clip = makeClip(dir, ctx.width, ctx.height);
    const probe = await probeVideo(clip);
    const times = frameSampleTimes(probe).slice(0, t);
    const decode: number[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const start = performance.now();
      await Promise.all([
        streamFrames(clip, times, { width, height, probe }, () => {}),
        extractAudio(clip, { startSec: 0, durationSec: times.length, sampleRate: contract.sampleRate, probe }),
      ]);
      decode.push((performance.now() - start) / 1000);
    }
    const status = await host.ensureSession(ctx.model, ctx.device);
    const forward: number[] = [];
    for (let i = 0; i < ctx.runs + 1; i++) {
      const out = await host.run({ frames: new Float32Array(t * 3 * height * width), audio: new Float32Array(t * LOGMEL_FRAMES * LOGMEL_BANDS), t, height, width });
      if (i > 0) forward.push(out.runMs / 1000); // the first run after opening is not steady state
    }
    const what = `${t} frames at ${width}x${height} from a ${ctx.width}x${ctx.height} clip; median of ${ctx.runs}`;
    return [
      { name: 'decode_10s_clip_s', value: round(median(decode)), unit: 's', goal: 'info', note: `ffmpeg: ${what}` },
      { name: 'forward_10s_clip_s', value: round(median(forward)), unit: 's', goal: 'info', note: `onnxruntime session.run on ${status.active}, ${what}` },
      { name: 'decode_plus_forward_floor_s', value: round(median(decode) + median(forward)), unit: 's', goal: 'info', note: 'the floor under prelabel_export_10s_clip_s' },
    ];
  } finally {
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

registerBenchmark({ id: 'floor', title: 'decode + forward floor of a 10-s clip', run: floor });
