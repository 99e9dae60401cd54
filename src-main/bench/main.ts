/** `npm run bench` entry (bundled to dist/main/bench.mjs): prints one JSON line per figure on stdout. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledModelPath } from '../pipeline/app-paths';
import { benchPrelabel } from './bench-prelabel';
import { benchProject } from './bench-project';

export async function benchMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      model: { type: 'string' }, runs: { type: 'string' }, size: { type: 'string' }, device: { type: 'string' }, transport: { type: 'string' },
      only: { type: 'string' },
    },
  });
  // --only project | prelabel: one suite (the project suite needs no model).
  if (values.only === 'project' || values.only === undefined) {
    for (const line of await benchProject()) process.stdout.write(`${JSON.stringify(line)}\n`);
    if (values.only === 'project') return 0;
  }
  const model = values.model ? resolve(values.model) : bundledModelPath();
  if (!model) {
    process.stderr.write('bench: error: no model: pass --model FILE.onnx (or commit models/ccformer-tiny-synth.onnx)\n');
    return 2;
  }
  const [width, height] = (values.size ?? '640x360').split('x').map(Number);
  const lines = await benchPrelabel({
    model, width: width!, height: height!, runs: Number(values.runs ?? 3), device: values.device === 'auto' ? 'auto' : 'cpu',
    transport: values.transport === 'thread' ? 'thread' : 'process',
  });
  for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
  return 0;
}
