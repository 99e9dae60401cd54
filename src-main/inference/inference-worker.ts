/**
 * The inference worker (worker_threads). session.run() blocks its thread for the whole forward pass (281 ms
 * event-loop stalls were measured on the main thread), so onnxruntime lives only here. Messages are handled one
 * at a time in arrival order, which makes the host's FIFO queue the single source of ordering.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { DeviceChoice, ProviderName, ProviderStatus } from '../shared/ipc-contract';
import {
  LOGMEL_BANDS, LOGMEL_FRAMES, ONNX_INPUT_AUDIO, ONNX_INPUT_FRAMES, ONNX_OUTPUT_LOGITS,
} from '../shared/onnx-contract';
import { clipAudio, logMelExamples } from '../features';
import { encodePng } from '../dataset/png';
import { logitsToMask } from '../masks';
import { checkGraphSignature, checkLogitsDims, type GraphExpectation } from './graph-contract';
import { detectGpu, systemProbe, type GpuFacts } from './gpu-detect';
import { loadModelContract } from './onnx-metadata';
import { checkProvider } from './provider-checks';
import { availableProviders, DEVICE_CHOICES, openWithFallback, type ProviderBackend } from './providers';
import { SamRuntime } from '../assist/sam-runtime';
import type { FeaturesOutput, FromWorker, RunOutput, ToWorker } from './worker-protocol';

// createRequire works the same from the ESM bundle and from the dev build; onnxruntime-node stays external.
const requireHere = createRequire(import.meta.url);
const ort = requireHere('onnxruntime-node') as typeof Ort;
ort.env.logLevel = 'error';

let session: Ort.InferenceSession | null = null;
/** The open model's file and what its graph must produce (checked again on every run's output). */
let contract: { file: string; expect: GraphExpectation } | null = null;

/** Electron's utility process talks through process.parentPort (electron/utility-channel.ts). */
interface UtilityPort {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const utilityPort = (process as NodeJS.Process & { parentPort?: UtilityPort }).parentPort;

/** Runs as a worker thread (parentPort), a child process (process.send) or a utility process; see worker-channel.ts. */
function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  if (parentPort) parentPort.postMessage(msg, transfer);
  else if (utilityPort) utilityPort.postMessage(msg);
  else process.send?.(msg);
}

/** What this machine has for each provider (files, drivers), read once per worker: it does not change. */
let gpuFacts: GpuFacts | null = null;
function facts(): GpuFacts {
  gpuFacts ??= detectGpu(systemProbe());
  return gpuFacts;
}

/** Providers this onnxruntime-node build can load (CUDA only when its provider library is on disk). */
function providers(): ProviderName[] {
  return availableProviders(ort.listSupportedBackends(), facts().ortCudaProvider !== null);
}

/**
 * `arena`: keep onnxruntime's CPU memory arena. Off by default (the pre-label model's multi-100-MB activations
 * would stay allocated); on for the click-to-mask decoder, whose ~10 MB of buffers are the same every click:
 * without the arena each click re-allocates them, and its median session.run was ~35 % slower (bench-assist).
 */
function createSession(file: string, provider: ProviderName, arena = false): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(file, {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    enableCpuMemArena: arena,
    // onnxruntime's thread pool spin-waits between ops by default, which on a 2-core machine starves the main
    // thread (event-loop stalls of 100+ ms were measured); without spinning the run is barely slower.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
}

/** One window of zeros in the model's own shape (its contract): proves the provider can really run it. */
function backendFor(file: string): ProviderBackend<Ort.InferenceSession> {
  return {
    create: createSession,
    warmUp: async (s) => {
      const contract = await loadModelContract(file);
      const t = contract.framesPerClip;
      const [height, width] = contract.inputSize;
      const out = await s.run({
        [ONNX_INPUT_FRAMES]: new ort.Tensor('float32', new Float32Array(t * 3 * height * width), [t, 3, height, width]),
        [ONNX_INPUT_AUDIO]: new ort.Tensor('float32', new Float32Array(t * LOGMEL_FRAMES * LOGMEL_BANDS), [t, 1, LOGMEL_FRAMES, LOGMEL_BANDS]),
      });
      for (const value of Object.values(out)) value.dispose();
    },
    release: (s) => s.release(),
  };
}

// Click-to-mask runs on the CPU provider: its graphs are small, and a GPU session per host is not worth the memory.
const sam = new SamRuntime(ort, (file, role) => createSession(file, 'cpu', role === 'decoder'));

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

async function open(file: string, device: DeviceChoice, expect?: GraphExpectation): Promise<ProviderStatus> {
  if (session) await session.release();
  session = null;
  contract = null;
  const inBuild = providers();
  const checks = DEVICE_CHOICES.filter((d): d is ProviderName => d !== 'auto').map((p) => checkProvider(p, facts(), inBuild));
  const opened = await openWithFallback(file, device, checks, process.platform, backendFor(file));
  if (expect) {
    try {
      checkGraphSignature(file, opened.session.inputMetadata, opened.session.outputMetadata, expect);
    } catch (err) {
      await opened.session.release();
      throw err;
    }
    contract = { file, expect };
  }
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
  try {
    if (contract) checkLogitsDims(contract.file, dims, msg.t, contract.expect);
  } catch (err) {
    logits.dispose();
    throw err;
  }
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
    else if (msg.type === 'open') post({ type: 'ok', id: msg.id, value: await open(msg.file, msg.device, msg.expect) });
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
else if (utilityPort) utilityPort.on('message', (event) => receive(event.data as ToWorker));
else if (process.send) process.on('message', (msg) => receive(msg as ToWorker));
// As a child process: the parent closing the IPC channel (it exited or crashed) ends this process too.
if (!parentPort && !utilityPort) process.on('disconnect', () => process.exit(0));
