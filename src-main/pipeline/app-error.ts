/**
 * Errors cross the IPC boundary as data ({code, message}); this is where thrown errors become ApiErrors.
 * Services throw AppError when they know the code; everything else is classified here once.
 */
import type { ApiError } from '../shared/ipc-contract';
import { ModelContractError } from '../shared/onnx-contract';
import { InferenceError } from '../inference/inference-host';
import { AvssExportError } from '../dataset/avss-writer';
import { MetadataCsvError } from '../dataset/metadata-csv';
import { describeFsError, FileStepError } from '../util/fs-errors';

export class AppError extends Error {
  constructor(readonly code: ApiError['code'], message: string) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAbortError(err: unknown): boolean {
  return (err instanceof AppError && err.code === 'cancelled')
    || (err instanceof InferenceError && err.kind === 'cancelled')
    || (err instanceof Error && (err.name === 'AbortError' || err.name === 'CancelledError'));
}

const ERRNO_CODES: Record<string, ApiError['code']> = {
  ENOENT: 'not-found', EACCES: 'io', EPERM: 'io', EROFS: 'io', ENOSPC: 'io', EEXIST: 'io', ENOTDIR: 'io', EISDIR: 'io',
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (isAbortError(err)) return { code: 'cancelled', message: 'cancelled' };
  if (err instanceof ModelContractError) return { code: 'model', message: err.message };
  if (err instanceof InferenceError) return { code: err.kind === 'model' ? 'model' : 'internal', message: err.message };
  // A dataset folder we refuse to merge into, a file step that failed (disk full, read-only): the user's to fix.
  if (err instanceof MetadataCsvError || err instanceof AvssExportError) return { code: 'bad-input', message: err.message };
  if (err instanceof FileStepError) return { code: err.errno === 'ENOENT' ? 'not-found' : 'io', message: err.message };
  if (err instanceof Error) {
    const errno = (err as NodeJS.ErrnoException).code;
    const path = (err as NodeJS.ErrnoException).path;
    // "ENOSPC: no space left on device, write" names no file and is not words: say it as the user needs it.
    if (errno && ERRNO_CODES[errno]) return { code: ERRNO_CODES[errno], message: path ? describeFsError(err, path) : err.message };
    // Dataset stage: its own errors say whether the folder (io) or the data (bad-input) is at fault.
    if (err.name === 'DatasetWriteError') return { code: (err as Error & { kind: 'io' | 'bad-input' }).kind, message: err.message };
    // Media-stage errors (ffmpeg/ffprobe failures) are named *MediaError by convention.
    if (/media/i.test(err.name)) return { code: 'media', message: err.message };
    return { code: 'internal', message: err.message };
  }
  return { code: 'internal', message: String(err) };
}
