/**
 * `avs-annotator prelabel VIDEO... --out DIR`: pre-label videos and write an AVSS dataset. Everything that can
 * be checked is checked before the first byte is written (arguments, model, every video, the output folder), and
 * every video is pre-labelled before any is exported, so bad input never leaves a half-written dataset.
 */
import { resolve } from 'node:path';
import type { DatasetSplit, PrelabelResult, ProviderStatus, VideoInfo } from '../shared/ipc-contract';
import { isBinary, maskValueName } from '../shared/onnx-contract';
import { isDeviceChoice } from '../inference/providers';
import { createAppCore } from '../ipc/app-core';
import { bundledModelPath } from '../pipeline/app-paths';
import { checkAvssDatasetFolder } from '../dataset/avss-writer';
import { checkAvssExportable, exportAvss, videoStem } from '../pipeline/export-avss';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { throwIfAborted } from '../util/abort';
import { checkOutDir, progressPrinter } from './cli-support';
import { browserDialogs } from './serve-command';

export const PRELABEL_HELP = `Usage: ${PROG} prelabel VIDEO... --out DIR [options]

Pre-labels sounding objects in each video with CCFormer and writes (or merges into) an AVSBench-semantic
dataset in DIR: metadata.csv, label2idx.json, v2/{uid}/frames|labels_rgb|labels_semantic|audio.wav.
  --out DIR        dataset folder (created if needed; existing rows are kept, re-exported clips replaced)
  --model FILE     ONNX model following the app's contract (default: the bundled CCFormer)
  --device D       auto|cpu|cuda|dml|coreml|webgpu (default auto: GPU if one works, else CPU with a warning)
  --split S        train|val|test for metadata.csv (default train)
  --json           print the summary as JSON on stdout
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

/** What one video's clips take on disk, roughly (frames, masks, audio), for the up-front free-space check. */
function estimateVideoBytes(video: VideoInfo): number {
  return video.sampledFrames * (video.width * video.height * 0.5 + 32_000);
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

export async function runPrelabel(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('prelabel', argv, {
    out: { type: 'string' }, model: { type: 'string' }, device: { type: 'string' }, split: { type: 'string' },
    json: { type: 'boolean' },
  });
  const device = values.device ?? 'auto';
  if (!isDeviceChoice(device)) throw new UsageError(`--device must be auto, cpu, cuda, dml, coreml or webgpu, got "${device}"`);
  const split = (values.split ?? 'train') as DatasetSplit;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  if (positionals.length === 0) throw new UsageError('prelabel: give at least one VIDEO');
  if (!values.out) throw new UsageError('prelabel: --out DIR is required');
  const outDir = resolve(values.out);
  const modelPath = values.model ? resolve(values.model) : bundledModelPath();
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
    checkAvssExportable(modelInfo);
    // A dataset we must not merge into is refused now, not after the whole pre-label.
    await checkAvssDatasetFolder(outDir);
    const videos: { file: string; video: VideoInfo }[] = [];
    const stems = new Map<string, string>();
    for (const file of positionals) {
      const video = await core.openVideo(resolve(file));
      if (video.sampledFrames === 0) throw new UsageError('is shorter than one second: no frame to label', file);
      const stem = videoStem(file);
      if (stems.has(stem)) throw new UsageError(`has the same name as ${stems.get(stem)}: their clips would overwrite each other`, file);
      stems.set(stem, file);
      videos.push({ file, video });
    }
    // Room for every clip, checked before any work (the export checks again, exactly, when it starts).
    await checkOutDir(outDir, videos.reduce((sum, { video }) => sum + estimateVideoBytes(video), 0));
    core.events.subscribe(progressPrinter(io, (id) => videos.find((v) => v.video.videoId === id)?.file ?? id));
    const results: PrelabelResult[] = [];
    for (const { video } of videos) {
      throwIfAborted(signal); // a Ctrl+C while probing or loading must not start the next job
      const jobId = core.startPrelabel(video.videoId, device);
      const cancel = (): void => void core.handleRequest('prelabel:cancel', { jobId });
      signal.addEventListener('abort', cancel, { once: true });
      if (signal.aborted) cancel();
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
      throwIfAborted(signal);
      const exported = await exportAvss(info, video.videoId, { split, outDir, signal });
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
