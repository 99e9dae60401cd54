#!/usr/bin/env node
// `npm run bench [-- --only ID,ID --skip ID --model FILE.onnx --runs N ...]`: every registered benchmark as JSON lines
// {name, value, unit, goal} on stdout, plus .bench/report.json and docs/performance.md (see src-main/bench/main.ts).
// Builds dist/main first (~1 s).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './python-env.mjs';

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-main.mjs')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
const { benchMain } = await import(pathToFileURL(join(repoRoot, 'dist', 'main', 'bench.mjs')).href);
// The editor figures (scripts/bench-editor.mjs, real Chromium) are the registered `editor` benchmark;
// `--no-editor` is kept as a short form of `--skip editor`.
const args = process.argv.slice(2);
process.exitCode = await benchMain(args.includes('--no-editor') ? [...args.filter((a) => a !== '--no-editor'), '--skip', 'editor'] : args);
