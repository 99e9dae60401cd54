/**
 * Finds the worker script. Built apps run `dist/main/inference-worker.mjs` beside the bundle (unpacked from
 * app.asar, since a Worker cannot start from inside the archive). Running from sources (vitest, dev) there is no
 * .mjs to start, so the worker is bundled on the fly with esbuild into node_modules/.cache, from where
 * `onnxruntime-node` still resolves.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

export const WORKER_BUNDLE_NAME = 'inference-worker.mjs';

function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

let devBuild: Promise<string> | null = null;

async function buildFromSources(source: string, repoRoot: string): Promise<string> {
  // A variable specifier keeps esbuild (a dev dependency) out of the production bundle.
  const esbuildName = 'esbuild';
  const esbuild = (await import(esbuildName)) as typeof Esbuild;
  const result = await esbuild.build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['onnxruntime-node'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(repoRoot, 'node_modules', '.cache', 'avs-annotator');
  const file = join(dir, `inference-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    // Write-then-rename: several test files may build the same worker at once.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, code);
    await rename(tmp, file);
  }
  return file;
}

/** Absolute path of a runnable worker script for the current installation. */
export async function resolveWorkerScript(): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (/\.(mjs|cjs|js)$/.test(basename(here))) {
    const bundled = unpacked(join(dir, WORKER_BUNDLE_NAME));
    if (existsSync(bundled)) return bundled;
  }
  const source = join(dir, 'inference-worker.ts');
  if (!existsSync(source)) throw new Error(`inference worker not found next to ${here}; run \`npm run build:main\``);
  devBuild ??= buildFromSources(source, join(dir, '..', '..'));
  return devBuild;
}
