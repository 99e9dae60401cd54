/** `npm run bench` entry (bundled to dist/main/bench.mjs): prints one JSON line per figure on stdout. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledModelPath } from '../pipeline/app-paths';
import { benchPrelabel, type BenchLine } from './bench-prelabel';
import { benchProject } from './bench-project';
import { benchPropagation } from './bench-propagation';
import { benchAudioPanel, benchClick } from './bench-assist';

/** Suites of `--suite a,b` (default: all), in the order they run. */
export const SUITES = ['project', 'prelabel', 'click', 'audio-panel', 'propagation'] as const;

export async function benchMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      model: { type: 'string' }, suite: { type: 'string' }, runs: { type: 'string' }, size: { type: 'string' }, device: { type: 'string' }, transport: { type: 'string' },
    },
  });
  const model = values.model ? resolve(values.model) : bundledModelPath();
  if (!model) {
    process.stderr.write('bench: error: no model: pass --model FILE.onnx (or commit models/ccformer-tiny-synth.onnx)\n');
    return 2;
  }
  const [width, height] = (values.size ?? '640x360').split('x').map(Number);
  const suites = (values.suite ?? SUITES.join(',')).split(',');
  const unknown = suites.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`bench: error: unknown suite ${unknown.join(', ')} (have ${SUITES.join(', ')})\n`);
    return 2;
  }
  const print = (lines: BenchLine[]): void => {
    for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  if (suites.includes('project')) print(await benchProject());
  if (suites.includes('prelabel')) {
    print(await benchPrelabel({
      model, width: width!, height: height!, runs: Number(values.runs ?? 3), device: values.device === 'auto' ? 'auto' : 'cpu',
      transport: values.transport === 'thread' ? 'thread' : 'process',
    }));
  }
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-'));
  try {
    if (suites.includes('click')) print(await benchClick(dir));
    if (suites.includes('audio-panel')) print(await benchAudioPanel(dir));
    if (suites.includes('propagation')) print(await benchPropagation(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
