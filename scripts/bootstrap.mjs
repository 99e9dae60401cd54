#!/usr/bin/env node
// One-shot setup used by `npm test`, `npm run demo` and `npm start` on a fresh clone. Node built-ins only,
// because it runs before node_modules exists. Each step is skipped when a stamp says it is already done.
//   1. npm dependencies: `npm ci` with the two downloads that cannot work offline skipped (Electron's binary,
//      onnxruntime-node's CUDA provider), then an attempt to fetch both that reports, never fails.
//   2. main-process bundle (scripts/build-main.mjs) so `bin/avs-annotator.mjs` can run; `--renderer` also
//      builds the UI into dist/renderer (browser mode serves it).
//   3. optional: the Python environment (`--python`) and system test tools (`--test-tools`: chromium, ffmpeg).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markNpmTreeCurrent } from './npm-tree.mjs';
import { repoRoot } from './python-env.mjs';

const args = new Set(process.argv.slice(2));
const say = (msg) => console.log(`bootstrap: ${msg}`);

function run(cmd, cmdArgs, { env = {}, allowFail = false, quiet = false } = {}) {
  const res = spawnSync(cmd, cmdArgs, {
    cwd: repoRoot, stdio: quiet ? 'pipe' : 'inherit', env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000,
  });
  if (res.status !== 0 && !allowFail) {
    console.error(`bootstrap: '${cmd} ${cmdArgs.join(' ')}' failed (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
  return res;
}

function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(join(repoRoot, f)) ? readFileSync(join(repoRoot, f)) : '');
  return h.digest('hex');
}

function ensureNodeModules() {
  const stamp = join(repoRoot, 'node_modules', '.avs-install-stamp');
  const wanted = hashFiles(['package-lock.json']);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  say('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], {
    env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  fetchOptionalBinaries();
  writeFileSync(stamp, wanted);
  markNpmTreeCurrent(repoRoot); // the stamp is newer than npm's record of the tree: see npm-tree.mjs
}

// Electron's binary and the CUDA execution provider are downloads from outside the npm registry. On a networked
// machine they arrive here; offline (and in CI) the app still works in browser mode on the CPU/WebGPU providers.
function fetchOptionalBinaries() {
  if (process.env.CI || process.env.AVS_OFFLINE) {
    say('CI/AVS_OFFLINE set: not fetching the Electron binary or the CUDA provider (browser mode, CPU/WebGPU)');
    return;
  }
  const electron = run('node', ['node_modules/electron/install.js'], { allowFail: true, quiet: true });
  say(electron.status === 0 ? 'Electron binary installed'
    : 'Electron binary could not be downloaded (offline?): `npm start` will use browser mode');
  if (process.platform === 'linux' && process.arch === 'x64') {
    run('node', ['node_modules/onnxruntime-node/script/install.js', '--onnxruntime-node-install=cuda12'], { allowFail: true, quiet: true });
    // The install script can exit 0 without installing anything (offline, or a skipped download): only the
    // provider libraries on disk say whether CUDA can be tried.
    const missing = missingCudaProviderFiles();
    say(missing.length === 0 ? `onnxruntime CUDA 12 provider installed (${CUDA_PROVIDER_FILES.join(', ')})`
      : `onnxruntime CUDA 12 provider not installed (${missing.join(', ')} missing): GPU via WebGPU or not at all; `
        + '`npx avs-annotator doctor` says what this machine has (README, GPU setup)');
  }
}

const CUDA_PROVIDER_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];

/** The CUDA provider's files that are not in onnxruntime-node's Linux x64 folder. */
function missingCudaProviderFiles() {
  const dir = join(repoRoot, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64');
  return CUDA_PROVIDER_FILES.filter((f) => !existsSync(join(dir, f)));
}

function ensureBuilds() {
  run('node', ['scripts/build-main.mjs']);
  if (args.has('--renderer')) run('npx', ['vite', 'build', '--logLevel', 'warn']);
}

function haveCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

// Browser and end-to-end tests need a real Chromium; media tests also use Debian's ffmpeg (faster than the
// bundled 2018 static build). Neither comes from npm, so install them from apt when we can.
function ensureTestTools() {
  const missing = ['chromium', 'ffmpeg'].filter((c) => !haveCommand(c));
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  if (!asRoot || !haveCommand('apt-get')) {
    console.error(`bootstrap: the tests need ${missing.join(' and ')} on PATH; install them (e.g. apt-get install ${missing.join(' ')})`);
    process.exit(1);
  }
  say(`installing ${missing.join(', ')} from apt`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

if (args.has('--test-tools')) ensureTestTools();
ensureNodeModules();
ensureBuilds();
if (args.has('--python')) run('node', ['scripts/setup-python.mjs']);
