/**
 * How the host talks to its worker. Two transports with the same message protocol:
 *  - 'thread': a worker_threads Worker; tensors are transferred (zero copy).
 *  - 'process': a child Node process (child_process.fork, structured-clone IPC); tensors are copied.
 * Why both: onnxruntime's memory lives in whatever process runs it, and every ffmpeg spawn fork()s the main
 * process synchronously, so with a thread the main thread stalls ~40-150 ms per spawn once a session has run
 * (RSS 400-870 MB). A separate process keeps the main process small and spawns cheap (bench: max lag
 * ~20-30 ms with a process vs ~90-150 ms with a thread on 2 busy cores).
 */
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { onExitSync } from '../util/exit-cleanup';
import type { FromWorker, ToWorker } from './worker-protocol';

export type Transport = 'thread' | 'process';

export interface WorkerChannel {
  post(msg: ToWorker, transfer: ArrayBuffer[]): void;
  /** Keeps the event loop alive while a request is in flight; unref when idle so the CLI can exit. */
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

export interface ChannelEvents {
  onMessage(msg: FromWorker): void;
  onExit(err: Error): void;
  /**
   * A line the worker's native libraries wrote to stderr (Dawn's "vkCreateInstance: Found no drivers!", CUDA
   * loader messages). Captured instead of inherited so third-party traces never reach the user's terminal; the
   * host keeps them for `--verbose`, `doctor` and crash messages.
   */
  onStderr?(line: string): void;
}

/** Starts a worker for `script`: the built-in transports below, or Electron's utility process (electron/). */
export type ChannelFactory = (script: string, events: ChannelEvents) => WorkerChannel;

/** Forwards a stderr stream line by line. */
export function forwardLines(stream: NodeJS.ReadableStream | null | undefined, onLine: ((line: string) => void) | undefined): void {
  if (!stream) return;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim()) onLine?.(line);
  });
}

/** Flags meant for the parent's entry script (`node --input-type=module -e ...`) break a worker's start. */
function childExecArgv(): string[] {
  return process.execArgv.filter((arg) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(arg));
}

export function startChannel(transport: Transport, script: string, events: ChannelEvents): WorkerChannel {
  if (transport === 'thread') {
    const worker = new Worker(script, { execArgv: childExecArgv() });
    worker.on('message', events.onMessage);
    worker.on('error', events.onExit);
    worker.on('exit', (code) => events.onExit(new Error(`inference worker exited with code ${code}`)));
    return {
      post: (msg, transfer) => worker.postMessage(msg, transfer),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      terminate: async () => void (await worker.terminate()),
    };
  }
  const child = fork(script, [], {
    serialization: 'advanced', execArgv: childExecArgv(), stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const forget = onExitSync(() => void child.kill('SIGKILL'));
  forwardLines(child.stderr, events.onStderr);
  child.on('message', (msg) => events.onMessage(msg as FromWorker));
  child.on('error', events.onExit);
  child.on('exit', (code, signal) => {
    forget();
    events.onExit(new Error(`inference process exited (${signal ?? code})`));
  });
  return {
    post: (msg) => void child.send(msg),
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    terminate: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // An unref'd child would let the loop end before 'exit' arrives (an unsettled await).
      child.ref();
      child.kill();
      await exited;
    },
  };
}
