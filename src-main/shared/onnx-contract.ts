/**
 * The ONNX model contract between the model half (`models/`, `python -m ccformer export`) and the app.
 * Human-readable version: docs/model-contract.md. Any audio-visual segmentation model that follows it plugs in.
 *
 * Inputs:  `frames` float32 [T,3,H,W]  RGB in [0,1], then (x - mean) / std per channel.
 *          `audio`  float32 [T,1,96,64] VGGish log-mel examples, one per second (see features/).
 * Output:  `logits` float32 [T,C,H,W]  C = 1 (binary: sigmoid > 0.5 = sounding) or C = classes.length (argmax).
 * T is dynamic; the app feeds `framesPerClip` frames per window.
 */
export const ONNX_INPUT_FRAMES = 'frames';
export const ONNX_INPUT_AUDIO = 'audio';
export const ONNX_OUTPUT_LOGITS = 'logits';
export const LOGMEL_FRAMES = 96;
export const LOGMEL_BANDS = 64;

export type SegmentationTask = 's4' | 'ms3' | 'avss';

/** What the app reads from the model's metadata_props; every key is required unless marked optional. */
export interface ModelContract {
  task: SegmentationTask;
  /** Class names; index = channel of `logits` for multi-class models. Binary models list one name. */
  classes: string[];
  /** [height, width] of `frames`. */
  inputSize: [number, number];
  framesPerClip: number;
  mean: [number, number, number];
  std: [number, number, number];
  sampleRate: number;
  model: string;
  variant: string;
  version: string;
  /** Free text: what the weights were trained on (optional, shown in the UI). */
  trainingData?: string;
}

/** metadata_props keys as written by the exporter. */
export const METADATA_KEYS = {
  task: 'task',
  classes: 'classes',
  inputSize: 'input_size',
  framesPerClip: 'frames_per_clip',
  mean: 'mean',
  std: 'std',
  sampleRate: 'sample_rate',
  model: 'model',
  variant: 'variant',
  version: 'version',
  trainingData: 'training_data',
} as const;

export class ModelContractError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ModelContractError';
  }
}

function parseJsonArray(file: string, key: string, raw: string | undefined, length?: number): unknown[] {
  if (raw === undefined) throw new ModelContractError(file, `model metadata is missing "${key}"`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ModelContractError(file, `model metadata "${key}" is not valid JSON: ${raw.slice(0, 60)}`);
  }
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new ModelContractError(file, `model metadata "${key}" must be a JSON list${length ? ` of ${length}` : ''}`);
  }
  return value;
}

function numbers(file: string, key: string, values: unknown[]): number[] {
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ModelContractError(file, `model metadata "${key}" must hold numbers`);
  }
  return values as number[];
}

/**
 * Bounds that keep a model's metadata from asking for absurd work or memory (a huge frames_per_clip or input_size
 * would otherwise die deep inside with "Invalid typed array length"). Generous against every published model.
 */
export const CONTRACT_LIMITS = {
  inputSide: 4096,
  framesPerClip: 64,
  /** Floats in one window's frames tensor [T,3,H,W]: 1 GiB of float32. */
  frameTensorFloats: 256 * 1024 * 1024,
  sampleRate: { min: 8000, max: 192000 },
  classes: 256, // class-index masks are 8-bit
} as const;

/** An integer in [min, max]: `raw` is a metadata string, or a JSON number from inside a list (not a string). */
function positiveInt(file: string, key: string, raw: unknown, max: number, min = 1, fromText = true): number {
  const n = fromText && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    const shown = raw === undefined ? 'nothing' : typeof raw === 'string' && fromText ? raw.slice(0, 40) : JSON.stringify(raw)?.slice(0, 40);
    throw new ModelContractError(file, `model metadata "${key}" must be an integer from ${min} to ${max}, got ${shown}`);
  }
  return n;
}

/** Parses and checks metadata_props (a plain key -> string map); throws ModelContractError naming the file. */
export function parseModelContract(file: string, props: Record<string, string>): ModelContract {
  const task = props[METADATA_KEYS.task];
  if (task !== 's4' && task !== 'ms3' && task !== 'avss') {
    throw new ModelContractError(file, `model metadata "task" must be s4, ms3 or avss, got ${task ?? 'nothing'}`);
  }
  const classes = parseJsonArray(file, METADATA_KEYS.classes, props[METADATA_KEYS.classes]);
  if (classes.length === 0 || !classes.every((c) => typeof c === 'string')) {
    throw new ModelContractError(file, 'model metadata "classes" must be a non-empty list of names');
  }
  const L = CONTRACT_LIMITS;
  if (classes.length > L.classes) throw new ModelContractError(file, `model metadata "classes" lists ${classes.length} names (at most ${L.classes})`);
  if (task !== 'avss' && classes.length !== 1) {
    throw new ModelContractError(file, `model metadata "classes" of a binary ${task} model must list one name, lists ${classes.length}`);
  }
  if (task === 'avss' && classes.length < 2) throw new ModelContractError(file, 'model metadata "classes" of an avss model must list background and at least one class');
  const size = parseJsonArray(file, 'input_size', props[METADATA_KEYS.inputSize], 2).map((v) => positiveInt(file, 'input_size', v, L.inputSide, 1, false));
  const framesPerClip = positiveInt(file, 'frames_per_clip', props[METADATA_KEYS.framesPerClip], L.framesPerClip);
  const floats = framesPerClip * 3 * size[0]! * size[1]!;
  if (floats > L.frameTensorFloats) {
    throw new ModelContractError(file, `model metadata asks for ${framesPerClip} frames of ${size[0]}x${size[1]}: ${Math.round((floats * 4) / 2 ** 20)} MB per window (at most ${(L.frameTensorFloats * 4) / 2 ** 20} MB)`);
  }
  const mean = numbers(file, 'mean', parseJsonArray(file, 'mean', props[METADATA_KEYS.mean], 3));
  const std = numbers(file, 'std', parseJsonArray(file, 'std', props[METADATA_KEYS.std], 3));
  if (!std.every((v) => v > 0)) throw new ModelContractError(file, `model metadata "std" must be positive numbers (frames are divided by it), got [${std.join(',')}]`);
  for (const key of ['model', 'variant', 'version'] as const) {
    if (!props[METADATA_KEYS[key]]) throw new ModelContractError(file, `model metadata is missing "${key}"`);
  }
  return {
    task,
    classes: classes as string[],
    inputSize: [size[0]!, size[1]!],
    framesPerClip,
    mean: [mean[0]!, mean[1]!, mean[2]!],
    std: [std[0]!, std[1]!, std[2]!],
    sampleRate: positiveInt(file, 'sample_rate', props[METADATA_KEYS.sampleRate], L.sampleRate.max, L.sampleRate.min),
    model: props[METADATA_KEYS.model]!,
    variant: props[METADATA_KEYS.variant]!,
    version: props[METADATA_KEYS.version]!,
    trainingData: props[METADATA_KEYS.trainingData],
  };
}

/** Logit channels the graph must output: 1 for binary models, one per class otherwise. */
export function expectedChannels(contract: ModelContract): number {
  return isBinary(contract) ? 1 : contract.classes.length;
}

/** Binary models (C = 1) output one "sounding" logit; multi-class models one logit per class. */
export function isBinary(contract: ModelContract): boolean {
  return contract.task !== 'avss';
}

/**
 * Name of a value in a class-index mask. Multi-class masks hold the logit channel (0 = background); binary
 * masks hold 1 where the model's single class sounds, so value 1 names `classes[0]`.
 */
export function maskValueName(classes: readonly string[], value: number): string {
  if (value === 0) return 'background';
  const name = classes.length === 1 ? (value === 1 ? classes[0] : undefined) : classes[value];
  return name ?? `class ${value}`;
}
