// Provider choice and CPU fallback. The session factory passed to openWithFallback is a TEST DOUBLE at the
// provider boundary (the only double in these tests): it simulates GPU providers failing the way onnxruntime
// does (it throws instead of falling back), which cannot be produced on a machine without those GPUs.
import { describe, expect, it } from 'vitest';
import { availableProviders, gpuProvidersFor, openWithFallback } from '../../../src-main/inference/providers';
import type { ProviderName } from '../../../src-main/shared/ipc-contract';

function fakeFactory(failing: Partial<Record<ProviderName, string>>) {
  const tried: ProviderName[] = [];
  const factory = async (_file: string, provider: ProviderName): Promise<string> => {
    tried.push(provider);
    const message = failing[provider];
    if (message) throw new Error(message);
    return `session-on-${provider}`;
  };
  return { factory, tried };
}

const ALL: ProviderName[] = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'];

describe('provider fallback', () => {
  it('auto on Linux tries cuda then webgpu, then falls back to CPU loudly', async () => {
    const { factory, tried } = fakeFactory({
      cuda: '/onnxruntime_src/x.cc:12 Failed to load shared library libcudnn.so.9',
      webgpu: 'adapter_result.status == Success was false. Failed to get a WebGPU adapter',
    });
    const warnings: string[] = [];
    const opened = await openWithFallback('m.onnx', 'auto', ALL, 'linux', factory, (m) => warnings.push(m));
    expect(tried).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(opened.session).toBe('session-on-cpu');
    expect(opened.status.active).toBe('cpu');
    expect(opened.status.requested).toBe('auto');
    expect(opened.status.fallbackReason).toContain('cuda: Failed to load shared library libcudnn.so.9');
    expect(opened.status.fallbackReason).toContain('webgpu: Failed to get a WebGPU adapter');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/falls back to CPU/);
  });

  it('auto uses the first GPU provider that starts', async () => {
    const { factory, tried } = fakeFactory({ cuda: 'no CUDA' });
    const opened = await openWithFallback('m.onnx', 'auto', ALL, 'linux', factory, () => {});
    expect(tried).toEqual(['cuda', 'webgpu']);
    expect(opened.status).toEqual({ requested: 'auto', active: 'webgpu', available: ALL });
  });

  it('an explicit GPU choice that fails falls back to CPU with the reason', async () => {
    const { factory } = fakeFactory({ dml: 'DirectML device lost' });
    const opened = await openWithFallback('m.onnx', 'dml', ALL, 'win32', factory, () => {});
    expect(opened.status.active).toBe('cpu');
    expect(opened.status.fallbackReason).toBe('no GPU provider could start (dml: DirectML device lost)');
  });

  it('a provider missing from this build is skipped with that reason', async () => {
    const { factory, tried } = fakeFactory({});
    const opened = await openWithFallback('m.onnx', 'cuda', ['cpu', 'webgpu'], 'linux', factory, () => {});
    expect(tried).toEqual(['cpu']);
    expect(opened.status.fallbackReason).toMatch(/cuda: not available in this onnxruntime-node build/);
  });

  it('cpu asked for is no fallback; a CPU failure is a real error', async () => {
    const ok = await openWithFallback('m.onnx', 'cpu', ALL, 'linux', fakeFactory({}).factory, () => {});
    expect(ok.status.fallbackReason).toBeUndefined();
    const failing = fakeFactory({ cpu: 'model is corrupt' }).factory;
    await expect(openWithFallback('m.onnx', 'cpu', ALL, 'linux', failing, () => {})).rejects.toThrow('model is corrupt');
  });

  it('lists the OS GPU providers and the available ones', () => {
    expect(gpuProvidersFor('linux')).toEqual(['cuda', 'webgpu']);
    expect(gpuProvidersFor('win32')).toEqual(['dml']);
    expect(gpuProvidersFor('darwin')).toEqual(['coreml']);
    const backends = [{ name: 'cpu', bundled: true }, { name: 'webgpu', bundled: true }, { name: 'cuda', bundled: false }, { name: 'tensorrt', bundled: false }];
    expect(availableProviders(backends, false)).toEqual(['cpu', 'webgpu']);
    expect(availableProviders(backends, true)).toEqual(['cpu', 'cuda', 'webgpu']);
  });
});
