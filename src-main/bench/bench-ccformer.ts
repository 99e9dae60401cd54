/**
 * The model half's figures (`python -m ccformer bench`: PyTorch eager vs onnxruntime forward time, parameter
 * counts), run in the project's .venv and folded into the same report. `--ccformer-variants` picks the variants
 * (default the small one, ~1 min; add ccformer_pvt_b5 for the paper-scale figure, several minutes on 2 cores).
 * Where no Python environment is set up, the section says so instead of failing silently.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../pipeline/app-paths';
import { registerBenchmark, type BenchLine } from './registry';

function python(): string {
  const venv = join(appRoot(), '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  if (!existsSync(venv)) throw new Error('no .venv: run `npm run setup:python` for the model figures');
  return venv;
}

/** Lines of `{"name","value","unit","goal"}` JSON; anything else (warnings) is ignored. */
export function parseBenchLines(stdout: string): BenchLine[] {
  const lines: BenchLine[] = [];
  for (const text of stdout.split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      const row = JSON.parse(text) as { name?: unknown; value?: unknown; unit?: unknown; goal?: unknown };
      if (typeof row.name === 'string' && typeof row.value === 'number') {
        lines.push({ name: row.name, value: row.value, unit: String(row.unit ?? ''), goal: typeof row.goal === 'string' ? row.goal : 'info' });
      }
    } catch {
      // Not a figure.
    }
  }
  return lines;
}

function runPython(args: string[], log: (m: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python(), ['-m', 'ccformer', ...args], { cwd: appRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      for (const line of c.toString().split('\n')) if (line.trim()) log(line.trim());
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python -m ccformer bench exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`))));
  });
}

registerBenchmark({
  id: 'ccformer',
  title: 'model: PyTorch eager vs onnxruntime forward (python -m ccformer bench)',
  run: async (ctx) => {
    const variants = ctx.extra['ccformer-variants'] ?? 'ccformer_tiny';
    const out = await runPython(['bench', '--variants', variants, '--repeats', String(ctx.runs)], ctx.log);
    return parseBenchLines(out).map((line) => ({ ...line, note: line.note ?? `python -m ccformer bench --variants ${variants}` }));
  },
});
