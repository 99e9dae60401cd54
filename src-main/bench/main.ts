/**
 * `npm run bench` entry (bundled to dist/main/bench.mjs). Runs every registered benchmark, prints one JSON line
 * per figure on stdout ({name, value, unit, goal, note}), and writes the whole run with the machine and its load
 * to .bench/report.json and docs/performance.md (figure, value, unit, goal, met?).
 *
 * Adding a benchmark: create src-main/bench/bench-<what>.ts that calls
 *   registerBenchmark({ id: '<what>', title: '<one line>', run: async (ctx) => [{ name, value, unit, goal }] })
 * (see registry.ts for BenchContext: model, device, runs, clip size, extra `--key value` options, log) and add
 * ONE line below: `import './bench-<what>';`. Goals are strings the report can check: "<= 16", ">= 10", "info".
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appRoot, bundledModelPath } from '../pipeline/app-paths';
import { atomicWriteFile } from '../util/atomic-write';
import { currentLoad, machineInfo } from './machine';
import { registeredBenchmarks, type BenchContext } from './registry';
import { renderMarkdown, type BenchReport, type BenchSection } from './report';
// The registry: one line per benchmark module, in the order they run.
import './bench-project';
import './bench-prelabel';
import './bench-floor';
import './bench-assist';
import './bench-propagation';
import './bench-editor';
import './bench-ccformer';
import './bench-datasets';

const USAGE = 'usage: npm run bench [-- --only ID,ID (or --suite) --skip ID,ID --model FILE.onnx --runs N --size WxH --device cpu|auto '
  + '--transport process|thread --out FILE.json --md FILE.md --from SAVED.json --<benchmark option> VALUE]';

export async function benchMain(argv: string[]): Promise<number> {
  const known = ['only', 'suite', 'skip', 'model', 'runs', 'size', 'device', 'transport', 'out', 'md', 'from'] as const;
  const { values, tokens } = parseArgs({
    args: argv, strict: false, tokens: true,
    options: Object.fromEntries(known.map((k) => [k, { type: 'string' as const }])),
  });
  const extra: Record<string, string> = {};
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== 'option' || (known as readonly string[]).includes(token.name)) continue;
    const next = tokens[i + 1];
    const value = token.value ?? (next?.kind === 'positional' ? next.value : undefined);
    if (value === undefined) {
      process.stderr.write(`bench: error: --${token.name} needs a value\n${USAGE}\n`);
      return 2;
    }
    extra[token.name] = value;
  }
  const str = (k: (typeof known)[number]): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const mdFile = resolve(str('md') ?? join(appRoot(), 'docs', 'performance.md'));
  const from = str('from');
  if (from) {
    // Re-renders the table of a saved run (e.g. after a goal's wording changed) without measuring again.
    await atomicWriteFile(mdFile, renderMarkdown(JSON.parse(readFileSync(resolve(from), 'utf8')) as BenchReport));
    return 0;
  }
  const model = str('model') ? resolve(str('model')!) : bundledModelPath();
  if (!model) {
    process.stderr.write('bench: error: no model: pass --model FILE.onnx (or commit models/ccformer-tiny-synth.onnx)\n');
    return 2;
  }
  const [width, height] = (str('size') ?? '640x360').split('x').map(Number);
  const ctx: BenchContext = {
    model, width: width!, height: height!, runs: Number(str('runs') ?? 3), device: str('device') === 'auto' ? 'auto' : 'cpu',
    transport: str('transport') === 'thread' ? 'thread' : 'process', extra,
    log: (message) => void process.stderr.write(`bench: ${message}\n`),
  };
  // `--suite` is the older name of `--only`.
  const only = (str('only') ?? str('suite'))?.split(',');
  const skip = str('skip')?.split(',') ?? [];
  const chosen = registeredBenchmarks().filter((b) => (!only || only.includes(b.id)) && !skip.includes(b.id));
  if (chosen.length === 0) {
    process.stderr.write(`bench: error: no benchmark selected (registered: ${registeredBenchmarks().map((b) => b.id).join(', ')})\n`);
    return 2;
  }
  const report: BenchReport = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), machine: machineInfo(),
    options: { model: model.split(/[\\/]/).pop()!, device: ctx.device, runs: ctx.runs, size: `${ctx.width}x${ctx.height}`, transport: ctx.transport, ...extra },
    sections: [],
  };
  let failed = 0;
  for (const benchmark of chosen) {
    ctx.log(`${benchmark.id}: ${benchmark.title}`);
    const started = performance.now();
    const section: BenchSection = { id: benchmark.id, title: benchmark.title, lines: [], seconds: 0 };
    try {
      section.lines = await benchmark.run(ctx);
      for (const line of section.lines) process.stdout.write(`${JSON.stringify(line)}\n`);
    } catch (err) {
      section.error = (err as Error).message;
      failed++;
      ctx.log(`${benchmark.id} failed: ${section.error}`);
    }
    section.seconds = (performance.now() - started) / 1000;
    report.sections.push(section);
  }
  report.machine.loadAfter = currentLoad();
  const jsonFile = resolve(str('out') ?? join(appRoot(), '.bench', 'report.json'));
  for (const [file, text] of [[jsonFile, `${JSON.stringify(report, null, 2)}\n`], [mdFile, renderMarkdown(report)]] as const) {
    mkdirSync(dirname(file), { recursive: true });
    await atomicWriteFile(file, text);
  }
  ctx.log(`report: ${jsonFile} and ${mdFile}`);
  return failed ? 1 : 0;
}
