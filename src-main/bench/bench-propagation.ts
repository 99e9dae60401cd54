/**
 * Propagation on the synthetic benchmark (models/ccformer/synth: every sampled frame has ground truth): the
 * Python generator writes AVSS clips as H.264 videos plus their visible-instance maps; for every object and start
 * second with the object clearly visible, its ground-truth mask is carried 1, 2 and 5 s by the app's propagation
 * (AssistService.propagate: re-segmenting each next frame from the previous mask's prompts, once per prompt
 * variant; the default was chosen from these figures) and by plain copying; both are scored by IoU against that
 * second's ground truth. Objects that leave the frame count as the generator says (IoU 0 for a non-empty
 * prediction, 1 when both are empty).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssistService, CARRY_PROMPTS, DEFAULT_CARRY_PROMPTS, type CarryPrompts } from '../assist/assist-service';
import { resolveAssistModels } from '../assist/assist-models';
import { InferenceHost } from '../inference/inference-host';
import { frameSampleTimes, probeVideo } from '../media';
import { maskIou } from '../shared/binary-mask';
import { appRoot } from '../pipeline/app-paths';
import { inTempDir, registerBenchmark, type BenchLine } from './registry';

export const CARRY_SECONDS = [1, 2, 5] as const;
/** An object starts a carry only when it covers at least this fraction of the frame. */
const MIN_START_AREA = 0.01;

const WRITE_CLIPS = `
import json, sys
from pathlib import Path
from ccformer.synth import generate_clip, write_mp4
out, count, size = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
meta = []
for seed in range(count):
    clip = generate_clip("avss", 1000 + 2 * seed, size)
    write_mp4(clip, out / f"clip{seed}.mp4")
    (out / f"clip{seed}.inst").write_bytes(clip.instances.tobytes())
    meta.append({"seconds": clip.seconds, "objects": len(clip.scene.objects)})
print(json.dumps({"size": size, "clips": meta}))
`;

interface ClipMeta { seconds: number; objects: number }

interface Sums {
  pairs: number[];
  copied: number[];
  propagated: Record<CarryPrompts, number[]>;
}

export async function benchPropagation(dir: string, clips = 3, size = 224): Promise<BenchLine[]> {
  const python = join(appRoot(), '.venv', 'bin', 'python');
  const printed = execFileSync(python, ['-c', WRITE_CLIPS, dir, String(clips), String(size)], { cwd: join(appRoot(), 'models'), encoding: 'utf8' });
  const meta = JSON.parse(printed.trim().split('\n').pop()!) as { size: number; clips: ClipMeta[] };
  const host = new InferenceHost();
  const zeros = (): number[] => CARRY_SECONDS.map(() => 0);
  const sums: Sums = {
    pairs: zeros(), copied: zeros(), propagated: Object.fromEntries(CARRY_PROMPTS.map((p) => [p, zeros()])) as Record<CarryPrompts, number[]>,
  };
  try {
    for (let c = 0; c < meta.clips.length; c++) {
      const file = join(dir, `clip${c}.mp4`);
      const probe = await probeVideo(file);
      const video = { id: `clip${c}`, file, probe, times: frameSampleTimes(probe) };
      const service = new AssistService(host, resolveAssistModels(), () => video);
      const inst = new Uint8Array(readFileSync(join(dir, `clip${c}.inst`)));
      const plane = size * size;
      const maskOf = (k: number, object: number): Uint8Array => inst.subarray(k * plane, (k + 1) * plane).map((v) => (v === object ? 1 : 0));
      const { seconds, objects } = meta.clips[c]!;
      for (let object = 1; object <= objects; object++) {
        for (let k = 0; k + CARRY_SECONDS[0] < seconds; k++) {
          const start = maskOf(k, object);
          if (start.reduce((a, b) => a + b, 0) < MIN_START_AREA * plane) continue;
          const last = Math.min(seconds - 1, k + CARRY_SECONDS[CARRY_SECONDS.length - 1]!);
          const targets = Array.from({ length: last - k }, (_, i) => k + 1 + i);
          const carried = new Map<CarryPrompts, Uint8Array[]>();
          for (const prompts of CARRY_PROMPTS) carried.set(prompts, (await service.propagate(video.id, start, targets, prompts)).map((m) => m.bits));
          CARRY_SECONDS.forEach((d, j) => {
            if (k + d > last) return;
            const truth = maskOf(k + d, object);
            sums.pairs[j]! += 1;
            sums.copied[j]! += maskIou(start, truth);
            for (const prompts of CARRY_PROMPTS) {
              sums.propagated[prompts][j]! += maskIou(carried.get(prompts)![d - 1] ?? new Uint8Array(plane), truth);
            }
          });
        }
      }
    }
  } finally {
    await host.dispose();
  }
  return CARRY_SECONDS.flatMap((d, j) => {
    const n = sums.pairs[j]!;
    const note = `${n} carries over ${meta.clips.length} synthetic AVSS clips at ${size}px`;
    const variants = CARRY_PROMPTS.filter((p) => p !== DEFAULT_CARRY_PROMPTS).map((p) => ({
      name: `propagation_iou_${d}s_${p.replaceAll('+', '_')}`, value: round(sums.propagated[p][j]! / n), unit: 'IoU', goal: 'info (prompt variant)', note,
    }));
    return [
      { name: `propagation_iou_${d}s`, value: round(sums.propagated[DEFAULT_CARRY_PROMPTS][j]! / n), unit: 'IoU', goal: `> copy_iou_${d}s`, note: `${note}; prompts ${DEFAULT_CARRY_PROMPTS}` },
      { name: `copy_iou_${d}s`, value: round(sums.copied[j]! / n), unit: 'IoU', goal: 'baseline', note },
      ...variants,
    ];
  });
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

registerBenchmark({ id: 'propagation', title: 'propagation: IoU of masks carried 1, 2, 5 s on the synthetic benchmark', run: () => inTempDir((dir) => benchPropagation(dir)) });
