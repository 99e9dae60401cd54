/**
 * The real CCFormer graph for tests. Preference: the bundled model (models/ccformer-tiny-synth.onnx, AVSS,
 * T = 10) when present; otherwise `python -m ccformer export --variant ccformer_tiny --task avss` into a cache
 * under node_modules/.cache (kept between runs: the ~60 s export is paid once per machine). T is dynamic in the
 * graph, so the same model also serves the T = 5 (S4/MS3 window) tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'avs-annotator', 'models');
/** The project's Python (.venv), for tests that need the model half (export, synthetic data). */
export const python = process.platform === 'win32' ? join(repoRoot, '.venv', 'Scripts', 'python.exe') : join(repoRoot, '.venv', 'bin', 'python');

/** Generous: the first export imports torch and traces the model (~60 s on 2 cores). */
export const EXPORT_TIMEOUT_MS = 180_000;

export function testModel(): string {
  // Override for trying another contract-conforming AVSS model.
  const override = process.env['AVS_TEST_MODEL'];
  if (override) return override;
  const bundled = join(repoRoot, 'models', 'ccformer-tiny-synth.onnx');
  if (existsSync(bundled)) return bundled;
  const file = join(cacheDir, 'ccformer_tiny-avss.onnx');
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  // Test files run in parallel: one exports (lock = a folder, created atomically), the others wait for it.
  const lock = `${file}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(file)) return file;
      // A lock older than the export timeout was left by a killed run.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > EXPORT_TIMEOUT_MS) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (existsSync(file)) return file;
    const tmp = `${file}.${process.pid}.tmp.onnx`;
    execFileSync(python, ['-m', 'ccformer', 'export', '--variant', 'ccformer_tiny', '--task', 'avss', '--out', tmp], {
      cwd: join(repoRoot, 'models'), stdio: 'pipe', timeout: EXPORT_TIMEOUT_MS,
    });
    renameSync(tmp, file);
    return file;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
