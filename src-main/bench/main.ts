/** `npm run bench` entry (bundled to dist/main/bench.mjs): prints one JSON line per figure on stdout. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledModelPath } from '../pipeline/app-paths';
import { benchPrelabel } from './bench-prelabel';
import { benchExport, benchPrelabelRss } from './bench-datasets';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export async function benchMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      model: { type: 'string' }, runs: { type: 'string' }, size: { type: 'string' }, device: { type: 'string' }, transport: { type: 'string' },
      // Dataset benchmarks: `--only export|rss|prelabel` runs one group; `--long-minutes 10,60` the RSS lengths.
      only: { type: 'string' }, 'long-minutes': { type: 'string' },
    },
  });
  const model = values.model ? resolve(values.model) : bundledModelPath();
  if (!model) {
    process.stderr.write('bench: error: no model: pass --model FILE.onnx (or commit models/ccformer-tiny-synth.onnx)\n');
    return 2;
  }
  const [width, height] = (values.size ?? '640x360').split('x').map(Number);
  const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  const only = values.only;
  if (!only || only === 'prelabel') {
    const lines = await benchPrelabel({
      model, width: width!, height: height!, runs: Number(values.runs ?? 3), device: values.device === 'auto' ? 'auto' : 'cpu',
      transport: values.transport === 'thread' ? 'thread' : 'process',
    });
    lines.forEach(print);
  }
  if (!only || only === 'export') print(await benchExport(100));
  if (!only || only === 'rss') {
    // The real CLI entry, run as its own process so its memory is measured alone (this file is dist/main/bench.mjs).
    const cli = join(import.meta.dirname, '..', '..', 'bin', 'avs-annotator.mjs');
    if (!existsSync(cli)) throw new Error(`bench: ${cli} not found`);
    for (const minutes of (values['long-minutes'] ?? '10,60').split(',').map(Number)) print(await benchPrelabelRss(cli, model, minutes));
  }
  return 0;
}
