/**
 * The click-to-mask sessions, inside the inference worker process (src-main/inference/inference-worker.ts routes
 * the `sam:*` messages here): the encoder and decoder ONNX sessions and a bounded cache of image embeddings
 * (4 MB each), so a click costs one decoder run and the embedding never crosses the process boundary.
 */
import type * as Ort from 'onnxruntime-node';
import {
  DECODER_INPUTS, DECODER_OUTPUT_LOW_RES, DECODER_OUTPUT_MASKS, DECODER_OUTPUT_SCORE, ENCODER_INPUT, SAM_EMBEDDING_DIMS,
  SAM_INPUT_SIZE, SAM_LOW_RES, encoderInput, encoderSize, promptTensors,
} from './sam-contract';
import type { SamDecodeInput, SamDecodeOutput, SamEncodeInput, SamEncodeOutput, SamOpenOutput } from './sam-protocol';

/** Embeddings kept (4 MB each): the frames around the current one plus a few recently visited. */
export const EMBEDDING_CACHE_SIZE = 12;

type CreateSession = (file: string, role: 'encoder' | 'decoder') => Promise<Ort.InferenceSession>;

export class SamRuntime {
  private encoder: Ort.InferenceSession | null = null;
  private decoder: Ort.InferenceSession | null = null;
  private files = '';
  /** Insertion order = recency (a hit is re-inserted). */
  private readonly cache = new Map<string, { embedding: Ort.Tensor; width: number; height: number }>();

  constructor(private readonly ort: typeof Ort, private readonly create: CreateSession) {}

  async open(encoderFile: string, decoderFile: string): Promise<SamOpenOutput> {
    const key = `${encoderFile}\n${decoderFile}`;
    if (this.files !== key || !this.encoder || !this.decoder) {
      await this.release();
      this.encoder = await this.create(encoderFile, 'encoder');
      this.decoder = await this.create(decoderFile, 'decoder');
      checkContract(this.encoder, this.decoder, encoderFile, decoderFile);
      this.files = key;
    }
    return { encoderInputs: [...this.encoder.inputNames], decoderInputs: [...this.decoder.inputNames] };
  }

  has(key: string): boolean {
    return this.cache.has(key);
  }

  async encode(msg: SamEncodeInput): Promise<SamEncodeOutput> {
    if (!this.encoder) throw new Error('the click-to-mask encoder is not open');
    if (this.cache.has(msg.key)) return { ms: 0, cached: true };
    const input = encoderInput(msg.rgb, msg.width, msg.height);
    const start = performance.now();
    const out = await this.encoder.run({ [ENCODER_INPUT]: new this.ort.Tensor('float32', input, [1, 3, SAM_INPUT_SIZE, SAM_INPUT_SIZE]) });
    const ms = performance.now() - start;
    const embedding = out[this.encoder.outputNames[0]!]!;
    if (embedding.dims.join(',') !== SAM_EMBEDDING_DIMS.join(',')) {
      throw new Error(`encoder output is [${embedding.dims.join(',')}], the contract needs [${SAM_EMBEDDING_DIMS.join(',')}]`);
    }
    this.cache.set(msg.key, { embedding, width: msg.displayWidth, height: msg.displayHeight });
    while (this.cache.size > EMBEDDING_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return { ms, cached: false };
  }

  async decode(msg: SamDecodeInput): Promise<SamDecodeOutput | null> {
    if (!this.decoder) throw new Error('the click-to-mask decoder is not open');
    const entry = this.cache.get(msg.key);
    if (!entry) return null;
    this.cache.delete(msg.key);
    this.cache.set(msg.key, entry);
    const { width, height } = entry;
    const { scale } = encoderSize(width, height);
    const prompt = promptTensors(msg.points, msg.box, scale);
    const T = this.ort.Tensor;
    const maskInput = msg.maskInput ?? new Float32Array(SAM_LOW_RES * SAM_LOW_RES);
    const start = performance.now();
    const out = await this.decoder.run({
      image_embeddings: entry.embedding,
      point_coords: new T('float32', prompt.coords, [1, prompt.count, 2]),
      point_labels: new T('float32', prompt.labels, [1, prompt.count]),
      mask_input: new T('float32', maskInput, [1, 1, SAM_LOW_RES, SAM_LOW_RES]),
      has_mask_input: new T('float32', new Float32Array([msg.maskInput ? 1 : 0]), [1]),
      orig_im_size: new T('float32', new Float32Array([height, width]), [2]),
    });
    const ms = performance.now() - start;
    const logits = out[DECODER_OUTPUT_MASKS]!.data as Float32Array;
    const bits = new Uint8Array(width * height);
    for (let i = 0; i < bits.length; i++) bits[i] = logits[i]! > 0 ? 1 : 0;
    const score = (out[DECODER_OUTPUT_SCORE]!.data as Float32Array)[0] ?? 0;
    const lowRes = new Float32Array(out[DECODER_OUTPUT_LOW_RES]!.data as Float32Array);
    return { bits, width, height, score, lowRes, ms };
  }

  async release(): Promise<void> {
    this.cache.clear();
    await this.encoder?.release();
    await this.decoder?.release();
    this.encoder = null;
    this.decoder = null;
    this.files = '';
  }
}

/** A pair that does not follow docs/assist-model-contract.md fails at open, naming the file and the input. */
function checkContract(encoder: Ort.InferenceSession, decoder: Ort.InferenceSession, encoderFile: string, decoderFile: string): void {
  if (!encoder.inputNames.includes(ENCODER_INPUT)) {
    throw new Error(`${encoderFile}: the encoder has no input "${ENCODER_INPUT}" (has ${encoder.inputNames.join(', ')})`);
  }
  for (const name of [...DECODER_INPUTS, DECODER_OUTPUT_MASKS, DECODER_OUTPUT_SCORE, DECODER_OUTPUT_LOW_RES]) {
    const names = (DECODER_INPUTS as readonly string[]).includes(name) ? decoder.inputNames : decoder.outputNames;
    if (!names.includes(name)) throw new Error(`${decoderFile}: the decoder has no "${name}" (see docs/assist-model-contract.md)`);
  }
}
