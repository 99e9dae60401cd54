/**
 * `avs-annotator prelabel VIDEO... --out DIR`: pre-label videos and write an AVSS dataset. Everything that can
 * be checked is checked before the first byte is written (arguments, model, every video, the output folder), and
 * every video is pre-labelled before any is exported, so bad input never leaves a half-written dataset.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { DatasetSplit, PrelabelResult, ProviderStatus, VideoInfo } from '../shared/ipc-contract';
import { isBinary, maskValueName } from '../shared/onnx-contract';
import { isDeviceChoice } from '../inference/providers';
import { createAppCore } from '../ipc/app-core';
import { bundledModelPath } from '../pipeline/app-paths';
import { exportAvss, videoStem } from '../pipeline/export-avss';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir, progressPrinter } from './cli-support';
import { browserDialogs } from './serve-command';
import { resolveShard, shardItems, shardOutDir } from './shard';
import { userPath } from '../util/user-path';

export const PRELABEL_HELP = `Usage: ${PROG} prelabel VIDEO... --out DIR [options]

Pre-labels sounding objects in each video with CCFormer and writes (or merges into) an AVSBench-semantic
dataset in DIR: metadata.csv, label2idx.json, v2/{uid}/frames|labels_rgb|labels_semantic|audio.wav.
  --out DIR        dataset folder (created if needed; existing rows are kept, re-exported clips replaced)
  --model FILE     ONNX model following the app's contract (default: the bundled CCFormer)
  --device D       auto|cpu|cuda|dml|coreml|webgpu (default auto: GPU if one works, else CPU with a warning)
  --split S        train|val|test for metadata.csv (default train)
  --json           print the summary as JSON on stdout
  --shard i/N      run only shard i (0-based) of N: videos are dealt round-robin in path order, and the shard
                   writes its own dataset DIR/shard-i-of-N (join them with \`${PROG} merge\`). Also read from
                   SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (Slurm job arrays) or JOB_COMPLETION_INDEX
                   (Kubernetes Indexed Jobs, with --shards N or AVS_SHARD_COUNT)
  --shards N       shard count for JOB_COMPLETION_INDEX
A VIDEO that is a folder stands for the video files directly in it (.mp4 .mkv .mov .avi .webm .m4v).
Progress goes to stderr.
`;

const SPLITS: readonly DatasetSplit[] = ['train', 'val', 'test'];

export interface PrelabelSummary {
  outDir: string;
  model: string;
  provider: ProviderStatus | null;
  seconds: number;
  clips: number;
  uids: string[];
  classes: string[];
  videos: { file: string; frames: number; seconds: number; classes: string[] }[];
}

function classNames(result: PrelabelResult): string[] {
  const seen = new Set<number>();
  for (const frame of result.frames) for (const c of frame.classes) seen.add(c);
  return [...seen].sort((a, b) => a - b).map((c) => maskValueName(result.model.classes, c));
}

function printSummary(io: CliIo, s: PrelabelSummary): void {
  const p = s.provider;
  const providerLine = p ? `${p.active}${p.fallbackReason ? ` (fell back from ${p.requested}: ${p.fallbackReason})` : ''}` : 'none';
  io.stdout([
    `Pre-labelled ${s.videos.length} video(s) in ${s.seconds.toFixed(1)} s with ${s.model}`,
    `  provider: ${providerLine}`,
    `  clips written: ${s.clips} -> ${s.outDir}`,
    `  classes found: ${s.classes.length ? s.classes.join(', ') : 'none'}`,
    ...s.videos.map((v) => `  ${v.file}: ${v.frames} frames, ${v.seconds.toFixed(1)} s, ${v.classes.join(', ') || 'no class'}`),
  ].join('\n') + '\n');
}

const VIDEO_EXTENSIONS = new Set(['.mp4', '.mkv', '.mov', '.avi', '.webm', '.m4v']);

/** Folders stand for the video files directly inside them; other arguments are taken as given. */
async function expandVideoArgs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    const isDir = await stat(arg).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      out.push(arg);
      continue;
    }
    const names = (await readdir(arg)).filter((n) => VIDEO_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.'));
    if (names.length === 0) throw new UsageError('is a folder with no video files (.mp4 .mkv .mov .avi .webm .m4v)', arg);
    out.push(...names.map((n) => join(arg, n)));
  }
  return out;
}

export async function runPrelabel(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('prelabel', argv, {
    out: { type: 'string' }, model: { type: 'string' }, device: { type: 'string' }, split: { type: 'string' },
    json: { type: 'boolean' }, shard: { type: 'string' }, shards: { type: 'string' },
  });
  const device = values.device ?? 'auto';
  if (!isDeviceChoice(device)) throw new UsageError(`--device must be auto, cpu, cuda, dml, coreml or webgpu, got "${device}"`);
  const split = (values.split ?? 'train') as DatasetSplit;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  if (positionals.length === 0) throw new UsageError('prelabel: give at least one VIDEO');
  if (!values.out) throw new UsageError('prelabel: --out DIR is required');
  const shard = resolveShard(values.shard, values.shards);
  const outDir = shardOutDir(userPath(values.out), shard);
  const files = shardItems(await expandVideoArgs(positionals.map((p) => userPath(p))), shard);
  if (files.length === 0) {
    io.stderr(`${PROG}: shard ${shard?.index}/${shard?.count} has no video to pre-label\n`);
    return 0;
  }
  const modelPath = values.model ? userPath(values.model) : bundledModelPath();
  if (!modelPath) throw new UsageError('no bundled model is installed: pass --model FILE.onnx');
  await checkOutDir(outDir);

  const started = performance.now();
  // Loading the model reads and checks its metadata; errors name the file.
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(outDir), modelPath, modelRequired: true });
  try {
    const model = await core.handleRequest('model:info', {});
    if (!model.ok) throw new UsageError(model.error.message);
    const info = core.store;
    const modelInfo = model.value as PrelabelResult['model'];
    if (isBinary(modelInfo)) throw new UsageError(`is a binary ${modelInfo.task} model; an AVSS dataset needs an AVSS model`, modelPath);
    const videos: { file: string; video: VideoInfo }[] = [];
    const stems = new Map<string, string>();
    for (const file of files) {
      const video = await core.openVideo(file);
      if (video.sampledFrames === 0) throw new UsageError('is shorter than one second: no frame to label', file);
      const stem = videoStem(file);
      if (stems.has(stem)) throw new UsageError(`has the same name as ${stems.get(stem)}: their clips would overwrite each other`, file);
      stems.set(stem, file);
      videos.push({ file, video });
    }
    core.events.subscribe(progressPrinter(io, (id) => videos.find((v) => v.video.videoId === id)?.file ?? id));
    const results: PrelabelResult[] = [];
    for (const { video } of videos) {
      const jobId = core.startPrelabel(video.videoId, device);
      const cancel = (): void => void core.handleRequest('prelabel:cancel', { jobId });
      signal.addEventListener('abort', cancel, { once: true });
      try {
        results.push(await core.jobDone(jobId));
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    }
    const summary: PrelabelSummary = {
      outDir, model: modelInfo.fileName, provider: results[0]?.provider ?? null, seconds: 0, clips: 0, uids: [],
      classes: [], videos: [],
    };
    for (const [i, { file, video }] of videos.entries()) {
      const exported = await exportAvss(info, video.videoId, { split, outDir, signal, onWarning: (w) => io.stderr(`${PROG}: warning: ${w}\n`) });
      summary.uids.push(...exported.uids);
      const result = results[i]!;
      summary.videos.push({ file, frames: result.frames.length, seconds: result.seconds, classes: classNames(result) });
    }
    summary.clips = summary.uids.length;
    summary.classes = [...new Set(summary.videos.flatMap((v) => v.classes))].sort();
    summary.seconds = (performance.now() - started) / 1000;
    if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else printSummary(io, summary);
    return 0;
  } finally {
    await core.dispose();
  }
}
