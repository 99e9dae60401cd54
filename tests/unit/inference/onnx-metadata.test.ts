// Model metadata -> ModelContract, on the real exported CCFormer graph, and errors that name the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelContract, readOnnxMetadata } from '../../../src-main/inference/onnx-metadata';
import { ModelContractError } from '../../../src-main/shared/onnx-contract';
import { AVSS_CLASSES } from '../../../src-main/shared/avss-classes';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';

const dir = mkdtempSync(join(tmpdir(), 'avs-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Minimal protobuf writer: enough to build ModelProto files with chosen metadata_props. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
function lenField(field: number, bytes: Uint8Array): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}
function modelProto(props: Record<string, string>, withGraph = true): Uint8Array {
  const enc = new TextEncoder();
  const parts: number[] = [...varint((1 << 3) | 0), ...varint(8)]; // ir_version = 8
  if (withGraph) parts.push(...lenField(7, new Uint8Array([0x0a, 0x01, 0x67]))); // graph { node... } stub
  for (const [k, v] of Object.entries(props)) {
    parts.push(...lenField(14, new Uint8Array([...lenField(1, enc.encode(k)), ...lenField(2, enc.encode(v))])));
  }
  return new Uint8Array(parts);
}

const GOOD = {
  task: 's4', classes: '["sounding"]', input_size: '[224,224]', frames_per_clip: '5', mean: '[0.485,0.456,0.406]',
  std: '[0.229,0.224,0.225]', sample_rate: '16000', model: 'ccformer', variant: 'x', version: '1',
};

describe('model metadata', () => {
  it('reads the contract of the real exported CCFormer tiny graph (AVSS)', async () => {
    const file = testModel();
    const contract = await loadModelContract(file);
    expect(contract.task).toBe('avss');
    expect(contract.classes).toEqual([...AVSS_CLASSES]);
    expect(contract.framesPerClip).toBe(10);
    expect(contract.sampleRate).toBe(16000);
    expect(contract.inputSize).toHaveLength(2);
  }, EXPORT_TIMEOUT_MS);

  it('parses hand-built metadata and ignores unknown fields', async () => {
    const file = join(dir, 'ok.onnx');
    writeFileSync(file, modelProto({ ...GOOD, extra: 'x' }));
    expect(await readOnnxMetadata(file)).toMatchObject({ task: 's4', extra: 'x' });
    expect((await loadModelContract(file)).framesPerClip).toBe(5);
  });

  it.each([
    ['missing file', null, 'model file not found'],
    ['text file', 'hello, this is not a model\n', 'not an ONNX model file'],
    ['jpeg bytes', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), 'not an ONNX model file'],
    ['no graph', modelProto(GOOD, false), 'not an ONNX model file'],
    ['missing key', modelProto({ ...GOOD, frames_per_clip: '' }), 'frames_per_clip'],
    ['bad task', modelProto({ ...GOOD, task: 'detect' }), '"task" must be s4, ms3 or avss'],
    ['bad json', modelProto({ ...GOOD, mean: '[0.4,' }), '"mean" is not valid JSON'],
    // Sizes that would die deep inside with "Invalid typed array length", or write garbage, are refused here.
    ['zero std', modelProto({ ...GOOD, std: '[0.229,0,0.225]' }), '"std" must be positive numbers (frames are divided by it), got [0.229,0,0.225]'],
    ['negative std', modelProto({ ...GOOD, std: '[-1,1,1]' }), '"std" must be positive numbers'],
    ['negative input_size', modelProto({ ...GOOD, input_size: '[-224,224]' }), '"input_size" must be an integer from 1 to 4096, got -224'],
    ['fractional input_size', modelProto({ ...GOOD, input_size: '[224.5,224]' }), '"input_size" must be an integer from 1 to 4096, got 224.5'],
    ['huge input_size', modelProto({ ...GOOD, input_size: '[100000,100000]' }), '"input_size" must be an integer from 1 to 4096, got 100000'],
    ['string input_size', modelProto({ ...GOOD, input_size: '["224","224"]' }), '"input_size" must be an integer from 1 to 4096, got "224"'],
    ['huge frames_per_clip', modelProto({ ...GOOD, frames_per_clip: '100000' }), '"frames_per_clip" must be an integer from 1 to 64, got 100000'],
    ['fractional frames_per_clip', modelProto({ ...GOOD, frames_per_clip: '2.5' }), '"frames_per_clip" must be an integer from 1 to 64'],
    ['window too big for memory', modelProto({ ...GOOD, frames_per_clip: '64', input_size: '[4096,4096]' }), 'MB per window (at most 1024 MB)'],
    ['odd sample_rate', modelProto({ ...GOOD, sample_rate: '12' }), '"sample_rate" must be an integer from 8000 to 192000, got 12'],
    ['binary model with 3 classes', modelProto({ ...GOOD, classes: '["a","b","c"]' }), 'binary s4 model must list one name, lists 3'],
    ['avss model with only background', modelProto({ ...GOOD, task: 'avss', classes: '["background"]' }), 'must list background and at least one class'],
  ])('rejects a %s with an error naming the file', async (name, content, problem) => {
    const file = join(dir, `${name.replace(/\s/g, '-')}.onnx`);
    if (content !== null) writeFileSync(file, content);
    const err = await loadModelContract(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelContractError);
    expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
    expect((err as Error).message).toContain(problem);
  });
});
