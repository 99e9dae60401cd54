#!/usr/bin/env node
// `npm test`: the whole suite, from a fresh clone. Sets up what is missing (scripts/bootstrap.mjs), then runs
// every check in order and keeps going after a failure so one run shows everything. Exit code != 0 if any step
// failed or if a runner reported no test at all. Last line: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { repoRoot } from './python-env.mjs';

const steps = [
  { name: 'setup', cmd: ['node', 'scripts/bootstrap.mjs', '--test-tools', '--python'] },
  { name: 'lint', cmd: ['npx', 'eslint', '.'] },
  { name: 'typecheck', cmd: ['npm', 'run', '-s', 'typecheck'] },
  { name: 'security scan', cmd: ['node', 'scripts/security-scan.mjs'] },
  { name: 'python lint', cmd: ['node', 'scripts/run-python.mjs', '-m', 'ruff', 'check', 'models', 'tests/models'] },
  { name: 'build renderer', cmd: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
  { name: 'vitest (unit, dom, browser)', cmd: ['npx', 'vitest', 'run'], counts: 'vitest' },
  { name: 'playwright e2e', cmd: ['npx', 'playwright', 'test'], counts: 'playwright' },
  { name: 'pytest', cmd: ['node', 'scripts/run-python.mjs', '-m', 'pytest', 'tests/models', '-q', '-p', 'no:cacheprovider'], counts: 'pytest' },
];

// Each runner's own summary line, read for the totals.
const patterns = {
  vitest: { passed: /Tests\s+.*?(\d+) passed/, failed: /Tests\s+(\d+) failed/ },
  playwright: { passed: /^\s*(\d+) passed/m, failed: /^\s*(\d+) failed/m },
  pytest: { passed: /(\d+) passed/, failed: /(\d+) failed/, errors: /(\d+) errors?\b/ },
};

let passed = 0;
let failed = 0;
const failures = [];
const only = process.argv[2];
for (const step of steps) {
  if (only && step.name !== 'setup' && !step.name.startsWith(only)) continue;
  const started = Date.now();
  console.log(`\n=== ${step.name} ===`);
  const res = spawnSync(step.cmd[0], step.cmd.slice(1), {
    cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  process.stdout.write(res.stdout ?? '');
  process.stderr.write(res.stderr ?? '');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  let ok = res.status === 0;
  if (step.counts) {
    const out = `${res.stdout}\n${res.stderr}`;
    const p = Number(out.match(patterns[step.counts].passed)?.[1] ?? 0);
    const { errors } = patterns[step.counts];
    const f = Number(out.match(patterns[step.counts].failed)?.[1] ?? 0) + Number((errors && out.match(errors)?.[1]) ?? 0);
    passed += p;
    failed += f;
    if (p === 0) {
      ok = false;
      console.error(`${step.name}: ran no test`);
    }
  }
  console.log(`--- ${step.name}: ${ok ? 'ok' : 'FAILED'} (${secs} s)`);
  if (!ok) {
    failures.push(step.name);
    if (step.name === 'setup') break;
  }
}
if (failures.length) console.log(`\nfailed steps: ${failures.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);
