/**
 * Messages between InferenceHost (main thread) and the inference worker. Tensors travel as Float32Arrays whose
 * buffers are transferred, never copied; the sender must not touch them afterwards.
 */
import type { DeviceChoice, ProviderName, ProviderStatus } from '../shared/ipc-contract';
import type { GraphExpectation } from './graph-contract';
import type {
  SamDecodeInput, SamDecodeOutput, SamEncodeInput, SamEncodeOutput, SamOpenInput, SamOpenOutput,
} from '../assist/sam-protocol';

export interface RunInput {
  /** [T,3,H,W], normalised per the model contract. */
  frames: Float32Array;
  /** [T,1,96,64] log-mel examples. */
  audio: Float32Array;
  t: number;
  height: number;
  width: number;
  /**
   * Turn the logits into class-index masks in the worker (argmax / threshold + resize to display size: tens of
   * ms per frame, and the AVSS logits of a window are ~140 MB) and return only the masks of the first `count`
   * frames. Without it the raw logits come back.
   */
  masks?: { count: number; width: number; height: number };
}

/** One frame's class-index mask at display size, PNG-encoded in the worker, with the stats of each class present. */
export interface WindowMask {
  /** 8-bit grey PNG of class indices [height, width]. */
  png: Uint8Array;
  layers: { classIndex: number; pixels: number }[];
}

export interface RunOutput {
  /** [T,C,H,W] raw logits; empty when masks were asked for. */
  logits: Float32Array;
  dims: number[];
  masks?: WindowMask[];
  /** Milliseconds spent inside session.run (for the bench and logs). */
  runMs: number;
}

/** Audio of one window: the log-mel front end runs here too (30-80 ms of CPU per 10-s window). */
export interface FeaturesInput {
  /** 16 kHz mono samples of the whole window. */
  wave: Float32Array;
  sampleRate: number;
  /** T: examples wanted. */
  seconds: number;
  pad: 'repeat' | 'zero';
}

export interface FeaturesOutput {
  /** [T,1,96,64]. */
  audio: Float32Array;
  valid: boolean[];
}

export type ToWorker =
  | { type: 'providers'; id: number }
  | ({ type: 'features'; id: number } & FeaturesInput)
  /** `expect`: the graph is checked against the model's metadata before the session is used. */
  | { type: 'open'; id: number; file: string; device: DeviceChoice; expect?: GraphExpectation }
  | ({ type: 'run'; id: number } & RunInput)
  | { type: 'close'; id: number }
  // Click-to-mask (src-main/assist/sam-runtime.ts): a second pair of sessions in the same worker.
  | ({ type: 'sam:open'; id: number } & SamOpenInput)
  | ({ type: 'sam:encode'; id: number } & SamEncodeInput)
  | ({ type: 'sam:decode'; id: number } & SamDecodeInput);

export interface WorkerReplyValues {
  providers: ProviderName[];
  features: FeaturesOutput;
  open: ProviderStatus;
  run: RunOutput;
  close: null;
  'sam:open': SamOpenOutput;
  'sam:encode': SamEncodeOutput;
  /** null: the frame's embedding is not cached (encode it first). */
  'sam:decode': SamDecodeOutput | null;
}

export type FromWorker =
  | { type: 'ok'; id: number; value: WorkerReplyValues[keyof WorkerReplyValues] }
  | { type: 'error'; id: number; message: string; model: boolean }
  | { type: 'log'; level: 'info' | 'warn'; message: string };
