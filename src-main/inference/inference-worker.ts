/**
 * The inference worker (worker_threads). session.run() blocks its thread for the whole forward pass (281 ms
 * event-loop stalls were measured on the main thread), so onnxruntime lives only here. Messages are handled one
 * at a time in arrival order, which makes the host's FIFO queue the single source of ordering.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { ProviderName, ProviderStatus } from '../shared/ipc-contract';
import { ONNX_INPUT_AUDIO, ONNX_INPUT_FRAMES, ONNX_OUTPUT_LOGITS } from '../shared/onnx-contract';
import { clipAudio, logMelExamples } from '../features';
import { encodePng } from '../dataset/png';
import { logitsToMask } from '../masks';
import { availableProviders, openWithFallback } from './providers';
import { SamRuntime } from '../assist/sam-runtime';
import type { FeaturesOutput, FromWorker, RunOutput, ToWorker } from './worker-protocol';

// createRequire works the same from the ESM bundle and from the dev build; onnxruntime-node stays external.
const requireHere = createRequire(import.meta.url);
const ort = requireHere('onnxruntime-node') as typeof Ort;
ort.env.logLevel = 'error';

let session: Ort.InferenceSession | null = null;

/** Runs as a worker thread (parentPort) or as a child process (process.send); see worker-channel.ts. */
function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  if (parentPort) parentPort.postMessage(msg, transfer);
  else process.send?.(msg);
}

/** CUDA's provider library is downloaded at install time on Linux x64 only; the backend list cannot tell. */
function hasCudaLibrary(): boolean {
  try {
    const pkgDir = dirname(requireHere.resolve('onnxruntime-node/package.json'));
    const lib = join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
    return existsSync(lib);
  } catch {
    return false;
  }
}

function providers(): ProviderName[] {
  return availableProviders(ort.listSupportedBackends(), hasCudaLibrary());
}

function createSession(file: string, provider: ProviderName): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(file, {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    enableCpuMemArena: false,
    // onnxruntime's thread pool spin-waits between ops by default, which on a 2-core machine starves the main
    // thread (event-loop stalls of 100+ ms were measured); without spinning the run is barely slower.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
}

// Click-to-mask runs on the CPU provider: its graphs are small, and a GPU session per host is not worth the memory.
const sam = new SamRuntime(ort, (file) => createSession(file, 'cpu'));

/** The `sam:*` messages; true when `msg` was one. */
async function handleSam(msg: ToWorker): Promise<boolean> {
  if (msg.type === 'sam:open') post({ type: 'ok', id: msg.id, value: await sam.open(msg.encoder, msg.decoder) });
  else if (msg.type === 'sam:encode') post({ type: 'ok', id: msg.id, value: await sam.encode(msg) });
  else if (msg.type === 'sam:decode') {
    const value = await sam.decode(msg);
    post({ type: 'ok', id: msg.id, value }, value ? [value.bits.buffer as ArrayBuffer, value.lowRes.buffer as ArrayBuffer] : []);
  } else return false;
  return true;
}

async function open(file: string, device: Parameters<typeof openWithFallback>[1]): Promise<ProviderStatus> {
  if (session) await session.release();
  session = null;
  const warn = (message: string): void => post({ type: 'log', level: 'warn', message });
  const opened = await openWithFallback(file, device, providers(), process.platform, createSession, warn);
  session = opened.session;
  return opened.status;
}

async function run(msg: Extract<ToWorker, { type: 'run' }>): Promise<RunOutput> {
  if (!session) throw new Error('no model is loaded');
  const frames = new ort.Tensor('float32', msg.frames, [msg.t, 3, msg.height, msg.width]);
  const audio = new ort.Tensor('float32', msg.audio, [msg.t, 1, 96, 64]);
  const start = performance.now();
  const out = await session.run({ [ONNX_INPUT_FRAMES]: frames, [ONNX_INPUT_AUDIO]: audio });
  const runMs = performance.now() - start;
  const logits = out[ONNX_OUTPUT_LOGITS];
  if (!logits || logits.type !== 'float32') throw new Error(`model output "${ONNX_OUTPUT_LOGITS}" is missing or not float32`);
  const dims = [...logits.dims];
  const raw = logits.data as Float32Array;
  if (msg.masks) {
    const [t, classes, height, width] = dims as [number, number, number, number];
    const shape = { frames: t, classes, height, width };
    const { width: w, height: h } = msg.masks;
    const masks = Array.from({ length: Math.min(msg.masks.count, t) }, (_, k) => {
      const mask = logitsToMask(raw, shape, k, { width: w, height: h });
      // PNG deflate is synchronous: done here, the main thread only writes the bytes.
      const png = new Uint8Array(encodePng(w, h, 1, mask.data));
      return { png, layers: mask.layers.map((l) => ({ classIndex: l.classIndex, pixels: l.pixels })) };
    });
    logits.dispose();
    return { logits: new Float32Array(0), dims, masks, runMs };
  }
  // Copy into a buffer we own: onnxruntime's output memory may be external and not transferable.
  const data = new Float32Array(raw);
  logits.dispose();
  return { logits: data, dims, runMs };
}

function runTransfers(out: RunOutput): ArrayBuffer[] {
  return [out.logits.buffer as ArrayBuffer, ...(out.masks ?? []).map((m) => m.png.buffer as ArrayBuffer)];
}

function features(msg: Extract<ToWorker, { type: 'features' }>): FeaturesOutput {
  const clip = clipAudio(logMelExamples(msg.wave, msg.sampleRate), msg.seconds, msg.pad);
  return { audio: clip.data, valid: clip.valid };
}

async function handle(msg: ToWorker): Promise<void> {
  try {
    if (await handleSam(msg)) return;
    if (msg.type === 'providers') post({ type: 'ok', id: msg.id, value: providers() });
    else if (msg.type === 'features') {
      const value = features(msg);
      post({ type: 'ok', id: msg.id, value }, [value.audio.buffer as ArrayBuffer]);
    }
    else if (msg.type === 'open') post({ type: 'ok', id: msg.id, value: await open(msg.file, msg.device) });
    else if (msg.type === 'run') {
      const value = await run(msg);
      post({ type: 'ok', id: msg.id, value }, runTransfers(value));
    } else {
      if (session) await session.release();
      session = null;
      post({ type: 'ok', id: msg.id, value: null });
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    post({ type: 'error', id: msg.id, message, model: msg.type === 'open' || msg.type === 'run' || msg.type.startsWith('sam:') });
  }
}

let chain: Promise<void> = Promise.resolve();
const receive = (msg: ToWorker): void => {
  chain = chain.then(() => handle(msg));
};
if (parentPort) parentPort.on('message', receive);
else if (process.send) process.on('message', (msg) => receive(msg as ToWorker));
// As a child process: the parent closing the IPC channel (it exited or crashed) ends this process too.
if (!parentPort) process.on('disconnect', () => process.exit(0));
