/**
 * Headless dataset commands:
 *   validate DIR            every problem of a dataset (any supported layout) as `path: problem`, exit 1 if any
 *   export INPUT --format F --out DIR   convert: INPUT is a dataset folder (AVSS, S4, MS3, COCO), imported and
 *                           written in F (project folders: once the project layer lands, the same command)
 *   merge DIR... --out DIR  join datasets of one layout without duplicates (shards of a cluster run)
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DATASET_FORMATS, type DatasetFormat, type SplitSpec } from '../shared/dataset-formats';
import { chooseSplits, detectLayout, exportDataset, importDataset, memorySource, mergeDataset, validateDataset } from '../dataset';
import { userPath } from '../util/user-path';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir } from './cli-support';
import { mkdtemp, rm } from 'node:fs/promises';

export const VALIDATE_HELP = `Usage: ${PROG} validate DIR [--format F] [--json]

Checks a dataset against the published rules of its layout (detected, or --format avss|s4|ms3|coco|voc|davis|ytvos)
and prints every problem with its path. Exit 0 when valid, 1 when any problem is found, 2 for bad arguments.
`;

export const EXPORT_HELP = `Usage: ${PROG} export INPUT --format F --out DIR [options]

Writes INPUT (an AVSS, S4, MS3 or COCO dataset folder) as a dataset of format F into DIR (created, or merged
into without duplicates).
  --format F     avss|s4|ms3|coco|voc|davis|ytvos
  --out DIR      output dataset folder
  --label L      AVSS window: v2 (10 s, default), v1s or v1m (5 s)
  --split S      train|val|test for every video (default: the split each clip was imported with)
  --ratio A,B,C  train,val,test shares, videos shuffled with --seed (default 123)
`;

export const MERGE_HELP = `Usage: ${PROG} merge DIR... --out DIR [--format F]

Merges datasets of one layout (e.g. the shards of a cluster pre-label run) into DIR without duplicates: an entry
present in several inputs is taken from the last one. Inputs are checked before anything is written.
`;

function formatOption(value: string | undefined): DatasetFormat | undefined {
  if (value === undefined) return undefined;
  if (!(DATASET_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}, got "${value}"`);
  return value as DatasetFormat;
}

async function existingDir(text: string): Promise<string> {
  const dir = userPath(text);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UsageError('no such folder', dir);
  if (!info.isDirectory()) throw new UsageError('is a file, not a dataset folder', dir);
  return dir;
}

export async function runValidate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('validate', argv, { format: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('validate: give one dataset folder DIR');
  const dir = await existingDir(positionals[0]!);
  const { format, problems } = await validateDataset(dir, formatOption(values.format));
  if (values.json) io.stdout(`${JSON.stringify({ dir, format: format ?? null, problems })}\n`);
  else if (problems.length === 0) io.stdout(`${dir}: valid ${format} dataset\n`);
  else io.stdout(problems.map((p) => `${p}\n`).join('') + `${problems.length} problem(s) in ${dir}\n`);
  return problems.length === 0 ? 0 : 1;
}

function splitSpec(split: string | undefined, ratio: string | undefined, seed: string | undefined): SplitSpec | undefined {
  if (split && ratio) throw new UsageError('give --split or --ratio, not both');
  if (split) {
    if (!['train', 'val', 'test'].includes(split)) throw new UsageError(`--split must be train, val or test, got "${split}"`);
    return { kind: 'all', split: split as 'train' };
  }
  if (!ratio) return undefined;
  const shares = ratio.split(',').map(Number);
  if (shares.length !== 3 || shares.some((s) => !(s >= 0)) || shares.reduce((a, b) => a + b, 0) <= 0) throw new UsageError(`--ratio must be three shares train,val,test such as 0.8,0.1,0.1, got "${ratio}"`);
  const n = seed === undefined ? 123 : Number(seed);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seed must be a whole number, got "${seed}"`);
  return { kind: 'ratio', train: shares[0]!, val: shares[1]!, test: shares[2]!, seed: n };
}

export async function runExport(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    format: { type: 'string' }, out: { type: 'string' }, label: { type: 'string' }, split: { type: 'string' },
    ratio: { type: 'string' }, seed: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('export: give one INPUT (a dataset folder)');
  const format = formatOption(values.format);
  if (!format) throw new UsageError('export: --format is required');
  if (!values.out) throw new UsageError('export: --out DIR is required');
  if (values.label && !['v2', 'v1s', 'v1m'].includes(values.label)) throw new UsageError(`--label must be v2, v1s or v1m, got "${values.label}"`);
  const input = await existingDir(positionals[0]!);
  const out = userPath(values.out);
  await checkOutDir(out);
  if (!(await detectLayout(input))) throw new UsageError('is not a dataset this app reads (AVSS, S4, MS3 or COCO)', input);
  const spec = splitSpec(values.split, values.ratio, values.seed);
  const imported = await importDataset(input);
  for (const p of imported.problems) io.stderr(`${PROG}: warning: ${p}\n`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'avs-export-'));
  try {
    const splits = spec ? chooseSplits(imported.videos, spec) : new Map();
    const summary = await exportDataset(memorySource(imported.videos, work), out, {
      format, splits, ...(values.label ? { label: values.label as 'v2' } : {}), signal,
    });
    for (const w of summary.warnings) io.stderr(`${PROG}: warning: ${w}\n`);
    io.stdout(`Exported ${summary.clips} ${format} clip(s)/video(s), ${summary.frames} frames -> ${summary.outDir}` +
      `${summary.replaced ? ` (${summary.replaced} replaced, none duplicated)` : ''}\n`);
    return 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function runMerge(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('merge', argv, { out: { type: 'string' }, format: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('merge: give at least one dataset folder');
  if (!values.out) throw new UsageError('merge: --out DIR is required');
  const inputs = await Promise.all(positionals.map(existingDir));
  const out = userPath(values.out);
  await checkOutDir(out);
  let format = formatOption(values.format);
  for (const dir of inputs) {
    const found = await detectLayout(dir);
    if (!found) throw new UsageError('is not a dataset of any supported layout', dir);
    if (format && found !== format) throw new UsageError(`is a ${found} dataset, the others are ${format}`, dir);
    format = found;
  }
  const summary = await mergeDataset(format!, inputs, out, { signal });
  io.stdout(`Merged ${inputs.length} ${format} dataset(s) into ${out}: ${summary.added} added, ${summary.replaced} replaced\n`);
  return 0;
}
