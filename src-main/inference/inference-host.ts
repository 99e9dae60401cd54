/**
 * The one inference host of the app: a worker running onnxruntime-node off the main thread (a child process by
 * default, or a worker_threads Worker: see worker-channel.ts), started lazily, fed from a FIFO queue (one
 * request in flight), with cancellation. A cancelled queued job never reaches the worker; a cancelled running
 * job is rejected at once and its result dropped (onnxruntime cannot interrupt a run). The worker also runs the
 * log-mel front end and the logits -> mask step, so the main thread never does heavy numeric work.
 */
import type { DeviceChoice, ProviderName, ProviderStatus } from '../shared/ipc-contract';
import type { GraphExpectation } from './graph-contract';
import { startChannel, type ChannelFactory, type Transport, type WorkerChannel } from './worker-channel';
import { resolveWorkerScript } from './worker-script';
import type {
  FeaturesInput, FeaturesOutput, FromWorker, RunInput, RunOutput, ToWorker, WorkerReplyValues,
} from './worker-protocol';
import type { SamDecodeInput, SamDecodeOutput, SamEncodeInput, SamEncodeOutput, SamOpenOutput } from '../assist/sam-protocol';

type Kind = keyof WorkerReplyValues;
type Body<K extends Kind> = Omit<Extract<ToWorker, { type: K }>, 'id' | 'type'>;

interface Job {
  id: number;
  msg: ToWorker;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Rejections carry a kind so callers can map them to ApiError codes without parsing messages. */
export class InferenceError extends Error {
  constructor(readonly kind: 'cancelled' | 'model' | 'internal', message: string) {
    super(message);
    this.name = 'InferenceError';
  }
}

/**
 * Buffers are transferred, not copied. A view that does not span its whole buffer (a Node Buffer slice from the
 * shared pool, a subarray) would move its neighbours too, so such views are copied first.
 */
function owned(array: Float32Array): Float32Array {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : array.slice();
}

export type HostLog = (level: 'info' | 'warn', message: string) => void;

export interface HostOptions {
  log?: HostLog;
  /** Default 'process' (see worker-channel.ts for why); 'thread' transfers buffers instead of copying. */
  transport?: Transport;
  /** Starts the worker some other way (Electron: a utility process, since the packaged app has RunAsNode off). */
  channel?: ChannelFactory;
}

/** Lines of the worker's stderr kept (third-party native output; see ChannelEvents.onStderr). */
const STDERR_LINES_KEPT = 200;

export class InferenceHost {
  private worker: WorkerChannel | null = null;
  private readonly log: HostLog;
  readonly transport: Transport;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private nextId = 1;
  private opened: { file: string; device: DeviceChoice; status: ProviderStatus } | null = null;
  private readonly channel: ChannelFactory | undefined;
  private readonly stderrLines: string[] = [];

  constructor(options: HostOptions = {}) {
    this.log = options.log ?? (() => {});
    this.transport = options.transport ?? 'process';
    this.channel = options.channel;
  }

  /** What the worker's native libraries printed (newest last); never shown unless asked for. */
  workerStderr(): string[] {
    return [...this.stderrLines];
  }

  /** Provider status of the open session, or null before the first run. */
  get provider(): ProviderStatus | null {
    return this.opened?.status ?? null;
  }

  providers(): Promise<ProviderName[]> {
    return this.request('providers', {});
  }

  /**
   * Opens (or reuses) the session for this model and device. Called lazily by the pipeline before its first
   * window, so opening the app or a model never pays for session creation.
   */
  async ensureSession(file: string, device: DeviceChoice, signal?: AbortSignal, expect?: GraphExpectation): Promise<ProviderStatus> {
    if (this.opened && this.opened.file === file && this.opened.device === device) return this.opened.status;
    this.opened = null;
    const before = this.stderrLines.length;
    const status = await this.request('open', { file, device, ...(expect ? { expect } : {}) }, [], signal);
    // stderr travels on its own pipe: let lines written during the attempt arrive before attaching them.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const printed = this.stderrLines.slice(before).map((line) => `worker stderr: ${line}`);
    const withOutput = printed.length ? { ...status, details: [...(status.details ?? []), ...printed] } : status;
    this.opened = { file, device, status: withOutput };
    return withOutput;
  }

  /** VGGish log-mel examples for one window, computed in the worker; `wave` is transferred. */
  features(input: FeaturesInput, signal?: AbortSignal): Promise<FeaturesOutput> {
    const wave = owned(input.wave);
    return this.request('features', { ...input, wave }, [wave.buffer as ArrayBuffer], signal);
  }

  /** Runs one window; the input buffers are transferred to the worker and unusable afterwards. */
  run(input: RunInput, signal?: AbortSignal): Promise<RunOutput> {
    const frames = owned(input.frames);
    const audio = owned(input.audio);
    return this.request('run', { ...input, frames, audio }, [frames.buffer as ArrayBuffer, audio.buffer as ArrayBuffer], signal);
  }

  /** Opens (or reuses) the click-to-mask encoder + decoder pair (docs/assist-model-contract.md). */
  samOpen(encoder: string, decoder: string, signal?: AbortSignal): Promise<SamOpenOutput> {
    return this.request('sam:open', { encoder, decoder }, [], signal);
  }

  /** Computes and caches (in the worker) one frame's image embedding; `rgb` is transferred. */
  samEncode(input: SamEncodeInput, signal?: AbortSignal): Promise<SamEncodeOutput> {
    return this.request('sam:encode', input, [input.rgb.buffer as ArrayBuffer], signal);
  }

  /** One decoder run on a cached embedding; null when the frame's embedding is not cached. */
  samDecode(input: SamDecodeInput, signal?: AbortSignal): Promise<SamDecodeOutput | null> {
    return this.request('sam:decode', input, [], signal);
  }

  /** Stops the worker; pending jobs are rejected. The host can be used again (a new worker starts). */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.opened = null;
    this.failAll(new InferenceError('cancelled', 'inference host stopped'));
    if (worker) await worker.terminate();
  }

  private request<K extends Kind>(type: K, body: Body<K>, transfer: ArrayBuffer[] = [], signal?: AbortSignal): Promise<WorkerReplyValues[K]> {
    return new Promise<WorkerReplyValues[K]>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new InferenceError('cancelled', 'cancelled'));
        return;
      }
      const id = this.nextId++;
      const job: Job = { id, msg: { ...body, type, id } as ToWorker, transfer, resolve: resolve as (v: unknown) => void, reject, signal };
      if (signal) {
        job.onAbort = () => this.cancel(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      void this.pump();
    });
  }

  private cancel(job: Job): void {
    const at = this.queue.indexOf(job);
    if (at >= 0) this.queue.splice(at, 1);
    // A running job stays `current` until the worker answers, so the next job cannot overtake it.
    job.reject(new InferenceError('cancelled', 'cancelled'));
  }

  private settle(job: Job): void {
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
  }

  private async pump(): Promise<void> {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.current = job;
    try {
      const worker = await this.ensureWorker();
      // Referenced only while busy: an idle worker must not keep the CLI alive, a busy one must.
      worker.ref();
      worker.post(job.msg, job.transfer);
    } catch (err) {
      this.current = null;
      this.settle(job);
      job.reject(new InferenceError('internal', `cannot start the inference worker: ${(err as Error).message}`));
      void this.pump();
    }
  }

  private async ensureWorker(): Promise<WorkerChannel> {
    if (this.worker) return this.worker;
    const script = await resolveWorkerScript();
    const events = {
      onMessage: (msg: FromWorker) => this.onMessage(msg),
      onExit: (err: Error) => this.onCrash(worker, err),
      onStderr: (line: string) => {
        this.stderrLines.push(line);
        if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.splice(0, this.stderrLines.length - STDERR_LINES_KEPT);
      },
    };
    const worker: WorkerChannel = this.channel ? this.channel(script, events) : startChannel(this.transport, script, events);
    this.worker = worker;
    return worker;
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'log') {
      this.log(msg.level, msg.message);
      return;
    }
    const job = this.current;
    if (!job || job.id !== msg.id) return;
    this.current = null;
    this.settle(job);
    // Rejecting twice is a no-op, so a job cancelled while running simply drops this answer.
    if (msg.type === 'ok') job.resolve(msg.value);
    else job.reject(new InferenceError(msg.model ? 'model' : 'internal', msg.message));
    if (this.queue.length === 0) this.worker?.unref();
    void this.pump();
  }

  private onCrash(worker: WorkerChannel, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.opened = null;
    // A crash's own words are usually in the native output just before it.
    const last = this.stderrLines.at(-1);
    const message = last ? `${err.message}; last output: ${last.slice(0, 300)}` : err.message;
    this.log('warn', `inference worker stopped: ${message}`);
    this.failAll(new InferenceError('internal', message));
  }

  private failAll(err: InferenceError): void {
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of jobs) {
      this.settle(job);
      job.reject(err);
    }
  }
}
