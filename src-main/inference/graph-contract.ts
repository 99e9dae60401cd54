/**
 * The graph half of the model contract (docs/model-contract.md), checked when a session opens, before any
 * window runs: input and output names, element types, ranks, and every dimension the graph states (symbolic
 * ones, such as T, are accepted). The metadata half is parseModelContract. Messages name the model file.
 */
import {
  LOGMEL_BANDS, LOGMEL_FRAMES, ModelContractError, ONNX_INPUT_AUDIO, ONNX_INPUT_FRAMES, ONNX_OUTPUT_LOGITS,
} from '../shared/onnx-contract';

/** What the app will feed and expect: from the model's metadata. */
export interface GraphExpectation {
  /** Output channels: 1 for binary models, len(classes) otherwise. */
  channels: number;
  /** [H, W] of `frames`. */
  inputSize: [number, number];
}

/** onnxruntime's ValueMetadata, reduced to what is checked (shape empty = unknown). */
export interface ValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

type Dim = number | null;

function checkValue(file: string, role: string, info: ValueInfo | undefined, want: readonly Dim[], names: string[]): void {
  const fail = (problem: string): never => {
    throw new ModelContractError(file, `model ${role} ${problem}`);
  };
  if (!info) fail(`is missing (the graph has ${names.map((n) => `"${n}"`).join(', ') || 'none'})`);
  if (!info!.isTensor || (info!.type !== undefined && info!.type !== 'float32')) fail(`must be a float32 tensor, is ${info!.type ?? 'not a tensor'}`);
  const shape = info!.shape ?? [];
  if (shape.length === 0) return; // the graph does not state it; the run checks what comes out
  if (shape.length !== want.length) fail(`must have rank ${want.length} [${want.map((d) => d ?? 'T').join(',')}], has rank ${shape.length}`);
  shape.forEach((dim, i) => {
    const expected = want[i];
    if (typeof dim === 'number' && dim > 0 && expected !== null && expected !== undefined && dim !== expected) {
      fail(`dimension ${i} is ${dim}, expected ${expected} (shape [${shape.join(',')}])`);
    }
  });
}

/** Throws ModelContractError naming `file` when the graph breaks the contract. */
export function checkGraphSignature(file: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], e: GraphExpectation): void {
  const [h, w] = e.inputSize;
  const inputNames = inputs.map((i) => i.name);
  const byName = (list: readonly ValueInfo[], name: string): ValueInfo | undefined => list.find((v) => v.name === name);
  checkValue(file, `input "${ONNX_INPUT_FRAMES}"`, byName(inputs, ONNX_INPUT_FRAMES), [null, 3, h, w], inputNames);
  checkValue(file, `input "${ONNX_INPUT_AUDIO}"`, byName(inputs, ONNX_INPUT_AUDIO), [null, 1, LOGMEL_FRAMES, LOGMEL_BANDS], inputNames);
  const extra = inputNames.filter((n) => n !== ONNX_INPUT_FRAMES && n !== ONNX_INPUT_AUDIO);
  if (extra.length > 0) throw new ModelContractError(file, `model has inputs the app does not feed: ${extra.map((n) => `"${n}"`).join(', ')} (only "frames" and "audio")`);
  const logits = byName(outputs, ONNX_OUTPUT_LOGITS);
  checkValue(file, `output "${ONNX_OUTPUT_LOGITS}"`, logits, [null, null, null, null], outputs.map((o) => o.name));
  const channels = logits?.shape?.[1];
  if (typeof channels === 'number' && channels > 0 && channels !== e.channels) {
    throw new ModelContractError(file, `model output "logits" has ${channels} channels but its metadata lists ${e.channels === 1 ? 'a binary task (1 channel)' : `${e.channels} classes`}`);
  }
}

/** The same rule for a run's actual output (graphs with symbolic channel counts). */
export function checkLogitsDims(file: string, dims: readonly number[], t: number, e: GraphExpectation): void {
  if (dims.length !== 4 || dims[0] !== t) {
    throw new ModelContractError(file, `model output "logits" has shape [${dims.join(',')}], expected [${t},C,H,W]`);
  }
  if (dims[1] !== e.channels) {
    throw new ModelContractError(file, `model output "logits" has ${dims[1]} channels but its metadata lists ${e.channels === 1 ? 'a binary task (1 channel)' : `${e.channels} classes`}`);
  }
  if (!(dims[2]! > 0 && dims[3]! > 0)) throw new ModelContractError(file, `model output "logits" has an empty frame (shape [${dims.join(',')}])`);
}
