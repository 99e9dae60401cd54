/**
 * Where the app's own files are. The same code runs from sources (vitest: src-main/pipeline/), from the esbuild
 * bundle (dist/main/) and from a packaged Electron app (dist/main/ inside app.asar, models and the sample as
 * extraResources beside it), so every lookup lists its candidates in that order of preference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLED_MODEL_NAME = 'ccformer-tiny-synth.onnx';
export const SAMPLE_VIDEO_NAME = 'sample.mp4';

/** Repository root, or the app folder (app.asar) when packaged: two levels above this module either way. */
export function appRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Electron sets process.resourcesPath; extraResources (models, sample) live there in a packaged app. */
function resourcesDir(): string | undefined {
  const res = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  return typeof res === 'string' && res.length > 0 ? res : undefined;
}

function firstExisting(candidates: (string | undefined)[]): string | undefined {
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

/** The bundled CCFormer model (env AVS_MODEL overrides), or undefined when none is installed. */
export function bundledModelPath(): string | undefined {
  const res = resourcesDir();
  return firstExisting([
    process.env['AVS_MODEL'],
    res && join(res, 'models', BUNDLED_MODEL_NAME),
    join(appRoot(), 'models', BUNDLED_MODEL_NAME),
  ]);
}

/** The bundled sample video (env AVS_SAMPLE_VIDEO overrides). */
export function sampleVideoPath(): string | undefined {
  const res = resourcesDir();
  return firstExisting([
    process.env['AVS_SAMPLE_VIDEO'], res && join(res, 'assets', SAMPLE_VIDEO_NAME), join(appRoot(), 'assets', SAMPLE_VIDEO_NAME),
  ]);
}

/** The built renderer (vite build output). */
export function rendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The per-user folder for settings (recent projects) and untitled projects, by platform convention. */
export function defaultDataDir(): string {
  const home = homedir();
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'avs-annotator');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'avs-annotator');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'avs-annotator');
}
