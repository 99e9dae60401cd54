/**
 * Errors cross the IPC boundary as data ({code, message}); this is where thrown errors become ApiErrors.
 * Services throw AppError when they know the code; everything else is classified here once.
 */
import type { ApiError } from '../shared/ipc-contract';
import { ModelContractError } from '../shared/onnx-contract';
import { InferenceError } from '../inference/inference-host';

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
  if (err instanceof Error) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno && ERRNO_CODES[errno]) return { code: ERRNO_CODES[errno], message: err.message };
    // Dataset stage: its own errors say whether the folder (io) or the data (bad-input) is at fault.
    if (err.name === 'DatasetWriteError') return { code: (err as Error & { kind: 'io' | 'bad-input' }).kind, message: err.message };
    if (err.name === 'MetadataCsvError') return { code: 'bad-input', message: err.message };
    // File-system steps in words (util/fs-errors.ts): the folder or the disk is the problem.
    if (err.name === 'FileStepError') return { code: 'io', message: err.message };
    // Media-stage errors (ffmpeg/ffprobe failures) are named *MediaError by convention.
    if (/media/i.test(err.name)) return { code: 'media', message: err.message };
    return { code: 'internal', message: err.message };
  }
  return { code: 'internal', message: String(err) };
}
