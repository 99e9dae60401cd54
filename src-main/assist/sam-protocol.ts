/** The click-to-mask messages between InferenceHost and the inference worker (added to worker-protocol.ts). */
import type { PromptBox, PromptPoint } from './sam-contract';

export interface SamOpenInput {
  encoder: string;
  decoder: string;
}

export interface SamOpenOutput {
  encoderInputs: string[];
  decoderInputs: string[];
}

export interface SamEncodeInput {
  /** Cache key of the frame (video id + frame index). */
  key: string;
  /** Packed RGB at encoderSize(displayWidth, displayHeight). */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** The frame's display size: the size masks come back at. */
  displayWidth: number;
  displayHeight: number;
}

export interface SamEncodeOutput {
  ms: number;
  cached: boolean;
}

export interface SamDecodeInput {
  key: string;
  points: PromptPoint[];
  box?: PromptBox;
  /** Low-res logits [256*256] of a previous mask (sam-contract maskToLowRes, or a previous lowRes). */
  maskInput?: Float32Array;
}

export interface SamDecodeOutput {
  /** 0/1 per display pixel. */
  bits: Uint8Array;
  width: number;
  height: number;
  /** The decoder's own IoU estimate. */
  score: number;
  lowRes: Float32Array;
  ms: number;
}
