/**
 * `avs-annotator prelabel VIDEO... --project DIR | --out DIR`: pre-label videos into a project (created if
 * missing) and/or write an AVSS dataset. Everything that can be checked is checked before the first byte is
 * written (arguments, model, every video, the output folder), and every video is pre-labelled before any is
 * exported, so bad input never leaves a half-written dataset. Without --project the pre-label lives in a
 * temporary project that is removed afterwards.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { DatasetSplit, PrelabelResult, ProviderStatus, VideoInfo } from '../shared/ipc-contract';
import { isBinary, maskValueName } from '../shared/onnx-contract';
import { isDeviceChoice } from '../inference/providers';
import { createAppCore } from '../ipc/app-core';
import { bundledModelPath } from '../pipeline/app-paths';
import { videoStem } from '../pipeline/export-avss';
import { checkAvssDatasetFolder } from '../dataset/avss-writer';
import { prelabelProblem } from '../project/prelabel-writer';
import { throwIfAborted } from '../util/abort';
import { onExitSync } from '../util/exit-cleanup';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir, progressPrinter } from './cli-support';
import { browserDialogs } from './serve-command';
import { resolveShard, shardItems, shardOutDir } from './shard';
import { userPath } from '../util/user-path';

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
  --shard i/N      run only shard i (0-based) of N: videos are dealt round-robin in path order, and the shard
                   writes its own dataset DIR/shard-i-of-N (and project) (join them with \`${PROG} merge\`). Also read from
                   SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (Slurm job arrays) or JOB_COMPLETION_INDEX
                   (Kubernetes Indexed Jobs, with --shards N or AVS_SHARD_COUNT)
  --shards N       shard count for JOB_COMPLETION_INDEX
A VIDEO that is a folder stands for the video files directly in it (.mp4 .mkv .mov .avi .webm .m4v).
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
    out: { type: 'string' }, project: { type: 'string' }, model: { type: 'string' }, device: { type: 'string' }, split: { type: 'string' },
    json: { type: 'boolean' }, verbose: { type: 'boolean' }, shard: { type: 'string' }, shards: { type: 'string' },
  });
  const device = values.device ?? 'auto';
  if (!isDeviceChoice(device)) throw new UsageError(`--device must be auto, cpu, cuda, dml, coreml or webgpu, got "${device}"`);
  const split = (values.split ?? 'train') as DatasetSplit;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  if (positionals.length === 0) throw new UsageError('prelabel: give at least one VIDEO');
  if (!values.out && !values.project) throw new UsageError('prelabel: give --project DIR, --out DIR or both');
  const shard = resolveShard(values.shard, values.shards);
  // Each shard writes its own dataset (and project): merge the datasets afterwards.
  const outDir = values.out ? shardOutDir(userPath(values.out), shard) : null;
  const projectArg = values.project ? shardOutDir(userPath(values.project), shard) : null;
  const files = shardItems(await expandVideoArgs(positionals.map((p) => userPath(p))), shard);
  if (files.length === 0) {
    io.stderr(`${PROG}: shard ${shard?.index}/${shard?.count} has no video to pre-label\n`);
    return 0;
  }
  const modelPath = values.model ? userPath(values.model) : bundledModelPath();
  if (!modelPath) throw new UsageError('no bundled model is installed: pass --model FILE.onnx');
  if (outDir) await checkOutDir(outDir);
  if (projectArg) await checkOutDir(projectArg);

  const started = performance.now();
  // Without --project the pre-label lives in a temporary project, removed afterwards.
  const scratch = projectArg ? null : await mkdtemp(join(tmpdir(), 'avs-prelabel-'));
  const projectDir = projectArg ?? join(scratch!, 'project');
  // A forced exit (second Ctrl+C) must not leave the scratch project behind either.
  const forgetScratch = scratch ? onExitSync(() => rmSync(scratch, { recursive: true, force: true })) : () => undefined;
  // Loading the model reads and checks its metadata; errors name the file.
  const removeScratch = async (): Promise<void> => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    forgetScratch();
  };
  const core = await createAppCore({
    mode: 'browser', dialogs: browserDialogs(outDir ?? projectDir), modelPath, modelRequired: true, ...(scratch ? { workParent: scratch } : {}),
  }).catch(async (err: unknown) => {
    await removeScratch(); // a refused model must not leave the scratch project behind
    throw err;
  });
  try {
    const model = await core.handleRequest('model:info', {});
    if (!model.ok) throw new UsageError(model.error.message);
    const modelInfo = model.value as PrelabelResult['model'];
    if (isBinary(modelInfo)) throw new UsageError(`is a binary ${modelInfo.task} model; projects and AVSS datasets need an AVSS model`, modelPath);
    // Masks that cannot become AVSS objects, and a dataset we must not merge into, are refused now, not after the pre-label.
    const problem = prelabelProblem(modelInfo);
    if (problem) throw new UsageError(`${problem}: nothing could be pre-labelled into a project or an AVSS dataset`);
    if (outDir) await checkAvssDatasetFolder(outDir);
    const project = await core.openProject(projectDir, { create: true });
    if (project.readOnly) throw new UsageError(`is open read-only: ${project.readOnly.reason}`, projectDir);
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
    // Room for every clip, checked before any work (the export checks again, exactly, when it starts).
    if (outDir) await checkOutDir(outDir, videos.reduce((sum, { video }) => sum + estimateVideoBytes(video), 0));
    core.events.subscribe(progressPrinter(io, (id) => videos.find((v) => v.video.videoId === id)?.file ?? id, { verbose: values.verbose === true }));
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
      ...(projectArg ? { project: projectDir } : {}), outDir, model: modelInfo.fileName, provider: results[0]?.provider ?? null, seconds: 0, clips: 0, uids: [],
      classes: [], videos: [],
    };
    throwIfAborted(signal);
    if (outDir) {
      const exported = await core.exportAvss(outDir, split, {
        videoIds: videos.map((v) => v.video.videoId), signal, onWarning: (w) => io.stderr(`${PROG}: warning: ${w}\n`),
      });
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
    await removeScratch();
  }
}
