#!/usr/bin/env node
// `avs-annotator` entry: runs the bundled CLI (dist/main/cli.mjs, built by `npm run build:main`, which is the
// npm `prepare` script). In a source checkout the bundle is rebuilt first when it is missing or older than
// src-main/, so `npx avs-annotator` always runs the code in front of you.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Ctrl+C before the CLI is loaded (building, importing) still ends with the documented 130, not a signal death.
const early = () => {
  process.stderr.write('avs-annotator: error: interrupted\n');
  process.exit(130);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'main', 'cli.mjs');
const buildScript = join(root, 'scripts', 'build-main.mjs');
const sources = join(root, 'src-main');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!existsSync(cli)) return true;
  if (!existsSync(sources) || !existsSync(buildScript)) return false;
  return newestMtime(sources) > statSync(cli).mtimeMs;
}

if (stale()) {
  if (!existsSync(buildScript)) {
    console.error('avs-annotator: error: dist/main/cli.mjs is missing and cannot be built here; reinstall the package');
    process.exit(1);
  }
  const build = spawnSync(process.execPath, [buildScript], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error('avs-annotator: error: building dist/main failed (see above); run `npm run build:main`');
    process.exit(1);
  }
}

const { main } = await import(pathToFileURL(cli).href);
// main() installs its own handlers synchronously, before its first await: no moment without one.
process.off('SIGINT', early);
process.off('SIGTERM', early);
process.exitCode = await main(process.argv.slice(2));
