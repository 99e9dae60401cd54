/**
 * Headless dataset commands:
 *   validate DIR            every problem of a dataset (any supported layout) as `path: problem`, exit 1 if any
 *   merge DIR... --out DIR  join datasets of one layout without duplicates (shards of a cluster run)
 */
import { stat } from 'node:fs/promises';
import { DATASET_FORMATS, type DatasetFormat } from '../shared/dataset-formats';
import { detectLayout, mergeDataset, validateDataset } from '../dataset';
import { userPath } from '../util/user-path';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir } from './cli-support';

export const VALIDATE_HELP = `Usage: ${PROG} validate DIR [--format F] [--json]

Checks a dataset against the published rules of its layout (detected, or --format avss|s4|ms3|coco|voc|davis|ytvos)
and prints every problem with its path. Exit 0 when valid, 1 when any problem is found, 2 for bad arguments.
`;

export const MERGE_HELP = `Usage: ${PROG} merge DIR... --out DIR [--format F]

Merges datasets of one layout (e.g. the shards of a cluster pre-label run) into DIR without duplicates: an entry
present in several inputs is taken from the last one. Inputs are checked before anything is written.
`;

export function formatOption(value: string | undefined): DatasetFormat | undefined {
  if (value === undefined) return undefined;
  if (!(DATASET_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}, got "${value}"`);
  return value as DatasetFormat;
}

export async function existingDir(text: string): Promise<string> {
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
