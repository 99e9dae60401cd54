#!/usr/bin/env node
// `npm start [-- VIDEO]`: the desktop app when Electron's binary is installed, otherwise browser mode
// (`avs-annotator serve`), saying so. Builds what is missing first: dist/main (esbuild, ~1 s) and
// dist/renderer (vite, only when absent). Extra arguments are passed on (a video to open).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './python-env.mjs';

const args = process.argv.slice(2);

function run(cmd, cmdArgs) {
  const res = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** Path of Electron's binary, or null when it was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, offline). */
function electronBinary() {
  try {
    const path = createRequire(join(repoRoot, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

run(process.execPath, [join(repoRoot, 'scripts', 'build-main.mjs')]);
if (!existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) run('npx', ['vite', 'build', '--logLevel', 'warn']);

const electron = electronBinary();
let child;
if (electron) {
  child = spawn(electron, [join(repoRoot, 'dist', 'main', 'electron-main.cjs'), ...args], { cwd: repoRoot, stdio: 'inherit' });
} else {
  console.log('start: Electron\'s binary is not installed here, so the annotator runs in browser mode instead '
    + '(same UI and API, served on 127.0.0.1). Install it with `node node_modules/electron/install.js` for the desktop app.');
  const open = args[0] ? ['--open', args[0]] : [];
  child = spawn(process.execPath, [join(repoRoot, 'bin', 'avs-annotator.mjs'), 'serve', ...open], { cwd: repoRoot, stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
