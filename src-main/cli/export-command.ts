/**
 * `avs-annotator export PROJECT --out DIR`: a project's videos as an AVSBench-semantic dataset, through the
 * same ExportSource -> AVSS writer path the UI uses. The project is opened read-only when another instance
 * has it open (exporting never writes to it).
 */
import { resolve } from 'node:path';
import type { DatasetSplit } from '../shared/ipc-contract';
import { DATASET_SPLITS } from '../shared/ipc-contract';
import { createAppCore } from '../ipc/app-core';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir } from './cli-support';
import { browserDialogs } from './serve-command';

export const EXPORT_HELP = `Usage: ${PROG} export PROJECT --out DIR [--split S] [--json]

Writes (or merges into) an AVSBench-semantic dataset in DIR from the project folder PROJECT: one 10-s clip
per window of each video; each mask holds the classes of the objects sounding in that second.
  --out DIR      dataset folder (created if needed; existing rows are kept, re-exported clips replaced)
  --split S      train|val|test for metadata.csv (default train)
  --json         print the result as JSON on stdout
`;

export async function runExport(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('export', argv, { out: { type: 'string' }, split: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('export: give exactly one PROJECT folder');
  if (!values.out) throw new UsageError('export: --out DIR is required');
  const split = (values.split ?? 'train') as DatasetSplit;
  if (!DATASET_SPLITS.includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  const outDir = resolve(values.out);
  await checkOutDir(outDir);
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(outDir) });
  try {
    const state = await core.openProject(resolve(positionals[0]!));
    for (const notice of state.recovered) io.stderr(`${PROG}: recovered ${notice.file}: ${notice.problem}; ${notice.action}\n`);
    const missing = state.missingVideos[0];
    if (missing) throw new UsageError(`is ${missing.problem === 'missing' ? 'missing' : 'not the file the project was made with'}: relink it in the app first`, missing.path);
    const result = await core.exportAvss(outDir, split, { signal });
    if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
    else io.stdout(`Exported ${result.uids.length} clip(s) of ${state.manifest.videos.length} video(s) from ${state.dir} -> ${outDir}\n`);
    return 0;
  } finally {
    await core.dispose();
  }
}
