/**
 * Spawning ffmpeg/ffprobe with cancellation and useful errors. Every media call goes through here so that an
 * AbortSignal always kills the child (no orphaned decoders after the user cancels) and failures carry the tail
 * of ffmpeg's stderr, which is where the real reason is.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CancelledError } from '../util/abort';
import { onExitSync } from '../util/exit-cleanup';
import { spawnEnvFor } from './ffmpeg-binaries';

/** Error from a media tool; `message` is one line naming the file. */
export class MediaError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'MediaError';
  }
}

export interface RunningTool {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (null when killed) once the process has exited and its pipes are closed. */
  exited: Promise<number | null>;
  /** Last ~4 KB of stderr, for error messages. */
  stderrTail(): string;
  /** Kills the process (idempotent). */
  kill(): void;
  /** True once `signal` fired or kill() was called, so callers can tell a cancel from a crash. */
  killed(): boolean;
}

const TAIL = 4096;

/**
 * Starts `bin args`. `onStderr` sees every stderr chunk (showinfo lines are parsed from it); stdin is closed
 * immediately unless `keepStdin` is set.
 */
export function startTool(
  bin: string,
  args: readonly string[],
  opts: { signal?: AbortSignal; onStderr?: (text: string) => void; keepStdin?: boolean } = {},
): RunningTool {
  const env = spawnEnvFor(bin);
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, ...(env ? { env } : {}) });
  let tail = '';
  let wasKilled = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    tail = (tail + text).slice(-TAIL);
    opts.onStderr?.(text);
  });
  if (!opts.keepStdin) child.stdin.end();
  // A child that dies early makes our writes fail with EPIPE; the exit code reports the real problem.
  child.stdin.on('error', () => undefined);
  const kill = (): void => {
    wasKilled = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onAbort = (): void => kill();
  // Never leave a decoder running after we exit, however we exit.
  const forget = onExitSync(() => kill());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) kill();
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      forget();
      reject(err);
    });
    child.once('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      forget();
      resolve(code);
    });
  });
  return { child, exited, stderrTail: () => tail, kill, killed: () => wasKilled };
}

/** The most informative stderr line (ffmpeg puts the reason last), trimmed to one line. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return (lines[lines.length - 1] ?? 'failed without a message').slice(0, 300);
}

/** Runs to completion and returns stdout; throws MediaError (or CancelledError) otherwise. */
export async function runTool(
  bin: string,
  args: readonly string[],
  file: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  const tool = startTool(bin, args, signal ? { signal } : {});
  const chunks: Buffer[] = [];
  tool.child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await tool.exited;
  if (tool.killed()) throw new CancelledError();
  if (code !== 0) {
    const crashed = code === null || code > 128 ? ` (${bin} crashed: exit ${code ?? tool.child.signalCode})` : '';
    throw new MediaError(file, lastErrorLine(tool.stderrTail()) + crashed);
  }
  return Buffer.concat(chunks);
}
