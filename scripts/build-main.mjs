#!/usr/bin/env node
// Bundles the main-process side with esbuild (~1 s) into dist/main/:
//   electron-main.cjs  Electron main (CJS: package.json "main")
//   preload.cjs        sandboxed preload: CJS, one file, only `electron` left external (sandbox rule)
//   cli.mjs            `avs-annotator` CLI (bin/avs-annotator.mjs imports it)
//   inference-worker.mjs  the worker_threads inference host's worker
//   bench.mjs          `npm run bench` (scripts/bench.mjs runs it)
// onnxruntime-node stays external (native binding, unpacked from app.asar). It is the npm `prepare` script, so
// `npx avs-annotator` works right after `npm ci` in a fresh clone. `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds elsewhere (tests inspect bundles without racing a CLI that runs from dist/main).
const outArg = process.argv.indexOf('--outdir');
const outdir = outArg > 0 ? process.argv[outArg + 1] : join(root, 'dist', 'main');
const started = Date.now();

// ws loads these optional native speed-ups in try/catch; esbuild must not fail on their absence.
const external = ['onnxruntime-node', 'bufferutil', 'utf-8-validate', 'esbuild', 'electron'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external,
  absWorkingDir: root,
};
// ESM bundles: CJS dependencies (ws) call require() for Node built-ins, which needs a real require.
const esm = {
  ...common,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __avsCreateRequire } from 'node:module'; const require = __avsCreateRequire(import.meta.url);" },
};
// CJS bundles: code that uses import.meta.url (worker and asset lookup) gets the bundle's own URL.
const cjs = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__avsImportMetaUrl' },
  banner: { js: "const __avsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const builds = [
  { ...cjs, entryPoints: { 'electron-main': 'src-main/electron/main.ts' } },
  // The sandboxed preload may require only `electron` (and a few built-ins): everything else is inlined.
  { ...cjs, entryPoints: { preload: 'src-main/electron/preload.ts' }, external: ['electron'], banner: {}, define: {} },
  {
    ...esm,
    entryPoints: { cli: 'src-main/cli/main.ts', 'inference-worker': 'src-main/inference/inference-worker.ts', bench: 'src-main/bench/main.ts' },
  },
];

if (process.argv.includes('--watch')) {
  for (const options of builds) await (await context({ ...options, outdir })).watch();
  console.log('build-main: watching src-main/');
} else {
  rmSync(outdir, { recursive: true, force: true });
  try {
    await Promise.all(builds.map((options) => build({ ...options, outdir })));
  } catch {
    // esbuild has printed the errors already.
    process.exit(1);
  }
  console.log(`build-main: dist/main built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
