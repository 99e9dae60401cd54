/**
 * The editor's figures (brush pointer event p95, frame switch p95, first frame on screen, undo of a large stroke,
 * history memory), measured in real Chromium against the real browser-mode server by scripts/bench-editor.mjs,
 * folded into the same report. The renderer is built first (dist/main is already built by scripts/bench.mjs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../pipeline/app-paths';
import { parseBenchLines } from './bench-ccformer';
import { registerBenchmark } from './registry';

function runEditorBench(runs: number, log: (m: string) => void): Promise<string> {
  const root = appRoot();
  const vite = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { cwd: root, encoding: 'utf8' });
  if (vite.status !== 0) return Promise.reject(new Error(`renderer build failed: ${vite.stderr.trim().split('\n').at(-1) ?? ''}`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'bench-editor.mjs'), '--no-build', '--runs', String(runs)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      for (const line of c.toString().split('\n')) if (line.trim()) log(line.trim());
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`scripts/bench-editor.mjs exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`))));
  });
}

registerBenchmark({
  id: 'editor',
  title: 'editor in real Chromium: brush, frame switch, first frame, undo',
  // Pointer-event figures need many samples for a p95; `--editor-runs N` (default 300) sets them.
  run: async (ctx) => parseBenchLines(await runEditorBench(Number(ctx.extra['editor-runs'] ?? 300), ctx.log)),
});
