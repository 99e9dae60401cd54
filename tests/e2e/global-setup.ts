/**
 * Builds what the browser-mode server serves and runs (renderer into dist/renderer, main into dist/main), so the
 * e2e test always exercises the current sources, never a stale build. Both builds take ~1-2 s.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
  if (process.env['AVS_E2E_SKIP_BUILD']) return;
  const root = join(import.meta.dirname, '..', '..');
  const run = (args: string[]): void => { execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' }); };
  run([join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  if (existsSync(join(root, 'scripts', 'build-main.mjs'))) run([join(root, 'scripts', 'build-main.mjs')]);
}
