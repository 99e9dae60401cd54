// The worker_threads inference host on real onnxruntime-node and the real exported CCFormer tiny graph.
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceError, InferenceHost } from '../../../src-main/inference/inference-host';
import { loadModelContract } from '../../../src-main/inference/onnx-metadata';
import type { ModelContract } from '../../../src-main/shared/onnx-contract';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';

const host = new InferenceHost();
afterAll(() => host.dispose());

function inputs(contract: ModelContract, t: number, seed = 0) {
  const [height, width] = contract.inputSize;
  const frames = new Float32Array(t * 3 * height * width);
  for (let i = 0; i < frames.length; i++) frames[i] = Math.sin(i * 0.001 + seed);
  const audio = new Float32Array(t * 96 * 64).fill(-2 + seed);
  return { frames, audio, t, height, width };
}

async function model(): Promise<{ file: string; contract: ModelContract }> {
  const file = testModel();
  return { file, contract: await loadModelContract(file) };
}

describe('InferenceHost', () => {
  // T = 10 is an AVSS window, T = 5 an S4/MS3 window (T is a dynamic axis of the graph).
  it.each([10, 5])('runs the CCFormer tiny graph with T = %i on CPU (child-process transport)', async (t) => {
    const { file, contract } = await model();
    const status = await host.ensureSession(file, 'cpu');
    expect(status).toMatchObject({ requested: 'cpu', active: 'cpu' });
    expect(status.available).toContain('cpu');
    const input = inputs(contract, t);
    const out = await host.run(input);
    expect(out.dims).toEqual([t, contract.classes.length, ...contract.inputSize]);
    expect(out.logits.length).toBe(out.dims.reduce((a, b) => a * b, 1));
    expect(out.logits.every(Number.isFinite)).toBe(true);
  }, EXPORT_TIMEOUT_MS);

  it('runs on a worker thread with transferred buffers and returns masks when asked', async () => {
    const { file, contract } = await model();
    const threaded = new InferenceHost({ transport: 'thread' });
    try {
      await threaded.ensureSession(file, 'cpu');
      const input = { ...inputs(contract, 2), masks: { count: 1, width: 40, height: 30 } };
      const out = await threaded.run(input);
      // Transferred, not copied: the caller's buffer is detached.
      expect(input.frames.byteLength).toBe(0);
      expect(out.logits.length).toBe(0);
      expect(out.masks).toHaveLength(1);
      const layers = out.masks![0]!.layers;
      expect(layers.reduce((n, l) => n + l.pixels, 0)).toBeLessThanOrEqual(40 * 30);
      expect([...out.masks![0]!.png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    } finally {
      await threaded.dispose();
    }
  }, EXPORT_TIMEOUT_MS);

  it('answers in FIFO order and drops a cancelled queued job before it reaches the worker', async () => {
    const { file, contract } = await model();
    await host.ensureSession(file, 'cpu');
    const order: number[] = [];
    const controller = new AbortController();
    const first = host.run(inputs(contract, 2, 1)).then(() => order.push(1));
    const second = host.run(inputs(contract, 2, 2), controller.signal).then(() => order.push(2), (e: unknown) => e);
    const third = host.run(inputs(contract, 2, 3)).then(() => order.push(3));
    controller.abort();
    const [, secondResult] = await Promise.all([first, second, third]);
    expect(order).toEqual([1, 3]);
    expect(secondResult).toBeInstanceOf(InferenceError);
    expect((secondResult as InferenceError).kind).toBe('cancelled');
  }, EXPORT_TIMEOUT_MS);

  it('rejects an already-aborted request at once', async () => {
    const { contract } = await model();
    await expect(host.run(inputs(contract, 1), AbortSignal.abort())).rejects.toMatchObject({ kind: 'cancelled' });
  }, EXPORT_TIMEOUT_MS);

  it('reports a model that cannot be loaded as a model error', async () => {
    const other = new InferenceHost();
    try {
      const err = await other.ensureSession('/nonexistent/model.onnx', 'cpu').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InferenceError);
      expect((err as InferenceError).kind).toBe('model');
    } finally {
      await other.dispose();
    }
  });

  it('lists the providers of this onnxruntime-node build', async () => {
    const providers = await host.providers();
    expect(providers[0]).toBe('cpu');
  });
});
