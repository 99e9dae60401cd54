#!/usr/bin/env node
// npm keeps the tree it installed in node_modules/.package-lock.json and trusts that file only while nothing in
// node_modules is newer. Our install stamp and vite/vitest's cache folder (node_modules/.vite) are newer, so
// `npm list` (which electron-builder runs to pick the app's modules) re-reads the tree without it, loses which
// dependencies are optional, and electron-builder then drops this platform's ffmpeg/ffprobe packages from the
// app. The tree is still the one `npm ci` wrote (the stamp says so), so mark npm's record of it current again.
// Used by bootstrap.mjs after installing, by `npm run dist` and by the packaging test. Node built-ins only.
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function markNpmTreeCurrent(root) {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return false;
  const now = new Date();
  utimesSync(hidden, now, now);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { repoRoot } = await import('./python-env.mjs');
  markNpmTreeCurrent(repoRoot);
}
