#!/usr/bin/env node
// Runs the project's Python (setting it up first when needed) with the given arguments, e.g.
// `node scripts/run-python.mjs -m ccformer bench`. Exit code is Python's.
import { spawnSync } from 'node:child_process';
import { pythonInVenv, repoRoot } from './python-env.mjs';

const setup = spawnSync(process.execPath, ['scripts/setup-python.mjs'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: repoRoot });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const res = spawnSync(pythonInVenv, process.argv.slice(2), { stdio: 'inherit', cwd: repoRoot });
process.exit(res.status ?? 1);
