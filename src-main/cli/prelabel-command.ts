/**
 * `avs-annotator prelabel VIDEO... --project DIR | --out DIR`: pre-label videos into a project (created if
 * missing) and/or write an AVSS dataset. Everything that can be checked is checked before the first byte is
 * written (arguments, model, every video, the output folder), and every video is pre-labelled before any is
 * exported, so bad input never leaves a half-written dataset. Without --project the pre-label lives in a
 * temporary project that is removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatasetSplit, PrelabelResult, ProviderStatus, VideoInfo } from '../shared/ipc-contract';
import { isBinary, maskValueName } from '../shared/onnx-contract';
import { isDeviceChoice } from '../inference/providers';
import { createAppCore } from '../ipc/app-core';
import { bundledModelPath } from '../pipeline/app-paths';
import { videoStem } from '../pipeline/export-avss';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir, progressPrinter } from './cli-support';
import { browserDialogs } from './serve-command';

export const PRELABEL_HELP = `Usage: ${PROG} prelabel VIDEO... [--project DIR] [--out DIR] [options]

Pre-labels sounding objects in each video with CCFormer into a project and/or an AVSBench-semantic dataset
(give at least one of --project and --out).
  --project DIR    project folder to pre-label into (created if missing; videos are added to it); frames an
                   annotator already edited are kept
  --out DIR        dataset folder: metadata.csv, label2idx.json, v2/{uid}/frames|labels_rgb|labels_semantic|
                   audio.wav (created if needed; existing rows are kept, re-exported clips replaced)
  --model FILE     ONNX model following the app's contract (default: the bundled CCFormer)
  --device D       auto|cpu|cuda|dml|coreml|webgpu (default auto: GPU if one works, else CPU with a warning)
  --split S        train|val|test for metadata.csv (default train)
  --json           print the summary as JSON on stdout
  --verbose        also print what was found and tried for each GPU provider (see \`${PROG} doctor\`)
Progress goes to stderr.
`;

const SPLITS: readonly DatasetSplit[] = ['train', 'val', 'test'];

export interface PrelabelSummary {
  /** The project pre-labelled into (absent without --project). */
  project?: string;
  outDir: string | null;
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
  // The fallback reason was printed once on stderr already; the summary only says what ran.
  const providerLine = p ? `${p.active}${p.fallbackReason ? ` (asked for ${p.requested}; fell back, see the warning above)` : ''}` : 'none';
  io.stdout([
    `Pre-labelled ${s.videos.length} video(s) in ${s.seconds.toFixed(1)} s with ${s.model}`,
    `  provider: ${providerLine}`,
    ...(s.project ? [`  project: ${s.project}`] : []),
    ...(s.outDir ? [`  clips written: ${s.clips} -> ${s.outDir}`] : []),
    `  classes found: ${s.classes.length ? s.classes.join(', ') : 'none'}`,
    ...s.videos.map((v) => `  ${v.file}: ${v.frames} frames, ${v.seconds.toFixed(1)} s, ${v.classes.join(', ') || 'no class'}`),
  ].join('\n') + '\n');
}

export async function runPrelabel(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('prelabel', argv, {
    out: { type: 'string' }, project: { type: 'string' }, model: { type: 'string' }, device: { type: 'string' }, split: { type: 'string' },
    json: { type: 'boolean' }, verbose: { type: 'boolean' },
  });
  const device = values.device ?? 'auto';
  if (!isDeviceChoice(device)) throw new UsageError(`--device must be auto, cpu, cuda, dml, coreml or webgpu, got "${device}"`);
  const split = (values.split ?? 'train') as DatasetSplit;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  if (positionals.length === 0) throw new UsageError('prelabel: give at least one VIDEO');
  if (!values.out && !values.project) throw new UsageError('prelabel: give --project DIR, --out DIR or both');
  const outDir = values.out ? resolve(values.out) : null;
  const modelPath = values.model ? resolve(values.model) : bundledModelPath();
  if (!modelPath) throw new UsageError('no bundled model is installed: pass --model FILE.onnx');
  if (outDir) await checkOutDir(outDir);
  if (values.project) await checkOutDir(resolve(values.project));

  const started = performance.now();
  // Without --project the pre-label lives in a temporary project, removed afterwards.
  const scratch = values.project ? null : await mkdtemp(join(tmpdir(), 'avs-prelabel-'));
  const projectDir = values.project ? resolve(values.project) : join(scratch!, 'project');
  // Loading the model reads and checks its metadata; errors name the file.
  const core = await createAppCore({
    mode: 'browser', dialogs: browserDialogs(outDir ?? projectDir), modelPath, modelRequired: true, ...(scratch ? { workParent: scratch } : {}),
  });
  try {
    const model = await core.handleRequest('model:info', {});
    if (!model.ok) throw new UsageError(model.error.message);
    const modelInfo = model.value as PrelabelResult['model'];
    if (isBinary(modelInfo)) throw new UsageError(`is a binary ${modelInfo.task} model; projects and AVSS datasets need an AVSS model`, modelPath);
    const project = await core.openProject(projectDir, { create: true });
    if (project.readOnly) throw new UsageError(`is open read-only: ${project.readOnly.reason}`, projectDir);
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
    core.events.subscribe(progressPrinter(io, (id) => videos.find((v) => v.video.videoId === id)?.file ?? id, { verbose: values.verbose === true }));
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
      ...(values.project ? { project: projectDir } : {}), outDir, model: modelInfo.fileName, provider: results[0]?.provider ?? null, seconds: 0, clips: 0, uids: [],
      classes: [], videos: [],
    };
    if (outDir) {
      const exported = await core.exportAvss(outDir, split, { videoIds: videos.map((v) => v.video.videoId), signal });
      summary.uids.push(...exported.uids);
    }
    for (const [i, { file }] of videos.entries()) {
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
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
