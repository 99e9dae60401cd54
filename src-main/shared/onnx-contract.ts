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

function positiveInt(file: string, key: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n <= 0) {
    throw new ModelContractError(file, `model metadata "${key}" must be a positive integer, got ${raw ?? 'nothing'}`);
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
  const size = numbers(file, 'input_size', parseJsonArray(file, 'input_size', props[METADATA_KEYS.inputSize], 2));
  const mean = numbers(file, 'mean', parseJsonArray(file, 'mean', props[METADATA_KEYS.mean], 3));
  const std = numbers(file, 'std', parseJsonArray(file, 'std', props[METADATA_KEYS.std], 3));
  for (const key of ['model', 'variant', 'version'] as const) {
    if (!props[METADATA_KEYS[key]]) throw new ModelContractError(file, `model metadata is missing "${key}"`);
  }
  return {
    task,
    classes: classes as string[],
    inputSize: [size[0]!, size[1]!],
    framesPerClip: positiveInt(file, 'frames_per_clip', props[METADATA_KEYS.framesPerClip]),
    mean: [mean[0]!, mean[1]!, mean[2]!],
    std: [std[0]!, std[1]!, std[2]!],
    sampleRate: positiveInt(file, 'sample_rate', props[METADATA_KEYS.sampleRate]),
    model: props[METADATA_KEYS.model]!,
    variant: props[METADATA_KEYS.variant]!,
    version: props[METADATA_KEYS.version]!,
    trainingData: props[METADATA_KEYS.trainingData],
  };
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
