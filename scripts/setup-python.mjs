#!/usr/bin/env node
// Creates (or refreshes) the model half's Python environment in `.venv` at the repository root.
// Idempotent: a stamp holding the hash of the dependency files makes a second run a no-op (well under a second).
// Offline machines: pip's configured find-links / local indexes supply torch==2.13.0 (CPU) and the rest.
// Networked machines: the same command resolves everything from PyPI; set AVS_TORCH_SPEC (e.g. "torch==2.13.0")
// or AVS_PIP_ARGS (e.g. "--extra-index-url <your torch index>") to choose a CUDA or CPU build of torch.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonInVenv, repoRoot, venvDir } from './python-env.mjs';

const depFiles = ['models/pyproject.toml', 'models/constraints.txt'];
const stampPath = join(venvDir, '.avs-setup-stamp');

function run(cmd, args) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: repoRoot });
  if (res.status !== 0) {
    console.error(`setup:python: '${cmd} ${args.join(' ')}' failed with exit code ${res.status ?? res.signal}`);
    process.exit(1);
  }
}

function findBasePython() {
  for (const candidate of [process.env.PYTHON, 'python3.11', 'python3', 'python']) {
    if (!candidate) continue;
    const res = spawnSync(candidate, ['-c', 'import sys; print(sys.version_info[:2] >= (3, 10))'], { encoding: 'utf8' });
    if (res.status === 0 && res.stdout.trim() === 'True') return candidate;
  }
  console.error('setup:python: no Python >= 3.10 found on PATH (set PYTHON=/path/to/python3)');
  process.exit(1);
}

const hash = createHash('sha256');
for (const f of depFiles) hash.update(readFileSync(join(repoRoot, f)));
hash.update(process.env.AVS_TORCH_SPEC ?? '');
const wanted = hash.digest('hex');

if (existsSync(pythonInVenv) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === wanted) {
  console.log(`setup:python: ${venvDir} is up to date`);
  process.exit(0);
}

if (!existsSync(pythonInVenv)) {
  console.log(`setup:python: creating ${venvDir}`);
  run(findBasePython(), ['-m', 'venv', venvDir]);
}
const extra = (process.env.AVS_PIP_ARGS ?? '').split(/\s+/).filter(Boolean);
const torchSpec = process.env.AVS_TORCH_SPEC;
const constraints = torchSpec ? [] : ['-c', 'models/constraints.txt'];
const started = Date.now();
run(pythonInVenv, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...constraints, ...extra,
  ...(torchSpec ? [torchSpec] : []), '-e', 'models[dev]']);
writeFileSync(stampPath, wanted);
const torch = spawnSync(pythonInVenv, ['-c', 'import torch; print(torch.__version__, "cuda" if torch.cuda.is_available() else "cpu")'], { encoding: 'utf8' });
console.log(`setup:python: ready in ${((Date.now() - started) / 1000).toFixed(1)} s; torch ${torch.stdout.trim()}`);
