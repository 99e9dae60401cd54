/**
 * `avs-annotator export INPUT --out DIR [--format F]`: INPUT is a project folder (its videos, through the same
 * ExportSource -> writer path the UI uses; opened read-only when another instance has it) or a dataset folder
 * (any supported layout: imported, then written in F, i.e. a converter). The dataset in DIR is created or merged
 * into without duplicates, in one transaction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatasetExportSummary, SplitSpec } from '../shared/dataset-formats';
import { DATASET_SPLITS } from '../shared/ipc-contract';
import { chooseSplits, detectLayout, exportDataset, importDataset, memorySource } from '../dataset';
import { createAppCore } from '../ipc/app-core';
import { userPath } from '../util/user-path';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir } from './cli-support';
import { existingDir, formatOption } from './dataset-commands';
import { browserDialogs } from './serve-command';

export const EXPORT_HELP = `Usage: ${PROG} export INPUT --out DIR [options]

Writes a dataset in DIR (created, or merged into without duplicates) from INPUT: a project folder, or a
dataset folder (avss, s4, ms3, coco, voc, davis, ytvos) to convert. Clip layouts (avss, s4, ms3) are cut by the window rule
(exactly 10 or 5 frames per clip, the last clip ending at the video's end); masks hold the objects sounding
in each second (COCO keeps every object with a "sounding" flag).
  --out DIR      dataset folder
  --format F     avss (default) | s4 | ms3 | coco | voc | davis | ytvos
  --label L      AVSS clip length: v2 (10 s, default), v1s or v1m (5 s)
  --split S      train|val|test for every video (default: train; a converted dataset keeps its splits)
  --ratio A,B,C  train,val,test shares instead: videos shuffled with --seed (default 123)
  --json         print the result as JSON on stdout
`;

function splitSpec(split: string | undefined, ratio: string | undefined, seed: string | undefined): SplitSpec | undefined {
  if (split && ratio) throw new UsageError('give --split or --ratio, not both');
  if (split) {
    if (!(DATASET_SPLITS as readonly string[]).includes(split)) throw new UsageError(`--split must be train, val or test, got "${split}"`);
    return { kind: 'all', split: split as 'train' };
  }
  if (!ratio) return undefined;
  const shares = ratio.split(',').map(Number);
  if (shares.length !== 3 || shares.some((s) => !(s >= 0 && s <= 1)) || shares.reduce((a, b) => a + b, 0) <= 0) {
    throw new UsageError(`--ratio must be three shares train,val,test such as 0.8,0.1,0.1, got "${ratio}"`);
  }
  const n = seed === undefined ? 123 : Number(seed);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new UsageError(`--seed must be a whole number, got "${seed}"`);
  return { kind: 'ratio', train: shares[0]!, val: shares[1]!, test: shares[2]!, seed: n };
}

export async function runExport(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    out: { type: 'string' }, format: { type: 'string' }, label: { type: 'string' }, split: { type: 'string' },
    ratio: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('export: give exactly one INPUT (a project or dataset folder)');
  if (!values.out) throw new UsageError('export: --out DIR is required');
  const format = formatOption(values.format) ?? 'avss';
  if (values.label && !['v2', 'v1s', 'v1m'].includes(values.label)) throw new UsageError(`--label must be v2, v1s or v1m, got "${values.label}"`);
  const label = values.label as 'v2' | 'v1s' | 'v1m' | undefined;
  const input = await existingDir(positionals[0]!);
  const outDir = userPath(values.out);
  await checkOutDir(outDir);
  const spec = splitSpec(values.split, values.ratio, values.seed);
  const summary = (await detectLayout(input))
    ? await convertDataset(input, outDir, { format, spec, label, signal, io })
    : await exportProject(input, outDir, { format, spec: spec ?? { kind: 'all', split: 'train' }, label, signal, io });
  for (const w of summary.warnings) io.stderr(`${PROG}: warning: ${w}\n`);
  if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout(`Exported ${summary.clips} ${format} ${format === 'avss' || format === 's4' || format === 'ms3' ? 'clip' : 'video'}(s), ` +
      `${summary.frames} frames from ${input} -> ${summary.outDir}${summary.replaced ? ` (${summary.replaced} replaced, none duplicated)` : ''}\n`);
  }
  return 0;
}

interface Run {
  format: DatasetExportSummary['format'];
  label: 'v2' | 'v1s' | 'v1m' | undefined;
  signal: AbortSignal;
  io: CliIo;
}

async function exportProject(input: string, outDir: string, o: Run & { spec: SplitSpec }): Promise<DatasetExportSummary> {
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(outDir) });
  try {
    const state = await core.openProject(input);
    for (const notice of state.recovered) o.io.stderr(`${PROG}: recovered ${notice.file}: ${notice.problem}; ${notice.action}\n`);
    const missing = state.missingVideos[0];
    if (missing) throw new UsageError(`is ${missing.problem === 'missing' ? 'missing' : 'not the file the project was made with'}: relink it in the app first`, missing.path);
    return await core.exportDataset(outDir, { format: o.format, split: o.spec, ...(o.label ? { label: o.label } : {}) }, { signal: o.signal });
  } finally {
    await core.dispose();
  }
}

async function convertDataset(input: string, outDir: string, o: Run & { spec: SplitSpec | undefined }): Promise<DatasetExportSummary> {
  if (path.resolve(input) === path.resolve(outDir)) throw new UsageError('is both INPUT and --out: write the converted dataset elsewhere', outDir);
  const imported = await importDataset(input);
  for (const p of imported.problems) o.io.stderr(`${PROG}: warning: ${p}\n`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'avs-export-'));
  try {
    const splits = o.spec ? chooseSplits(imported.videos, o.spec) : new Map();
    return await exportDataset(memorySource(imported.videos, work), outDir, { format: o.format, splits, ...(o.label ? { label: o.label } : {}), signal: o.signal });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
