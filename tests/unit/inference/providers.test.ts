// Provider choice and CPU fallback. The ProviderBackend passed to openWithFallback is a TEST DOUBLE at the
// provider boundary (the only double in these tests): it simulates GPU providers failing the way onnxruntime
// does (throwing on create, or loading and then failing the warm-up run), which cannot be produced on a machine
// without those GPUs. The checks are real ProviderCheck values built from described machines.
import { describe, expect, it } from 'vitest';
import type { GpuFacts } from '../../../src-main/inference/gpu-detect';
import { checkProvider } from '../../../src-main/inference/provider-checks';
import { availableProviders, gpuProvidersFor, openWithFallback, type ProviderBackend } from '../../../src-main/inference/providers';
import type { ProviderName } from '../../../src-main/shared/ipc-contract';

function fakeBackend(failing: Partial<Record<ProviderName, string>>, failingWarmUp: Partial<Record<ProviderName, string>> = {}) {
  const tried: string[] = [];
  const backend: ProviderBackend<string> = {
    create: async (_file, provider) => {
      tried.push(provider);
      const message = failing[provider];
      if (message) throw new Error(message);
      return provider;
    },
    warmUp: async (session) => {
      tried.push(`warm-up ${session}`);
      const message = failingWarmUp[session as ProviderName];
      if (message) throw new Error(message);
    },
    release: async (session) => void tried.push(`release ${session}`),
  };
  return { backend, tried };
}

const NO_GPU: GpuFacts = {
  platform: 'linux', arch: 'x64', ortBinDir: '/ort', ortCudaProvider: null, nvidiaDriver: null, libcuda: null,
  cudart: null, cublas: null, cudnn: null, otherCudart: null, otherCudnn: null, vulkanLoader: '/usr/lib/libvulkan.so.1',
  vulkanIcds: [], directml: null, d3d12: null,
};
const FULL_CUDA: GpuFacts = {
  ...NO_GPU, ortCudaProvider: '/ort/libonnxruntime_providers_cuda.so', nvidiaDriver: { version: '550.54.15', source: '/proc/driver/nvidia/version' },
  libcuda: '/usr/lib/libcuda.so.1', cudart: '/usr/local/cuda/lib64/libcudart.so.12', cublas: '/usr/local/cuda/lib64/libcublasLt.so.12',
  cudnn: '/usr/lib/libcudnn.so.9', vulkanIcds: ['/usr/share/vulkan/icd.d/nvidia_icd.json'],
};
const IN_BUILD: ProviderName[] = ['cpu', 'cuda', 'webgpu'];
const checksFor = (facts: GpuFacts, inBuild = IN_BUILD) => (['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const).map((p) => checkProvider(p, facts, inBuild));

describe('provider fallback', () => {
  it('auto tries nothing that is not installed and says why in one sentence', async () => {
    const { backend, tried } = fakeBackend({});
    const opened = await openWithFallback('m.onnx', 'auto', checksFor(NO_GPU), 'linux', backend);
    expect(tried).toEqual(['cpu']);
    expect(opened.session).toBe('cpu');
    expect(opened.status).toMatchObject({ requested: 'auto', active: 'cpu', available: ['cpu'] });
    expect(opened.status.fallbackReason).toBe('No GPU provider could start (CUDA: no NVIDIA driver found; WebGPU: no Vulkan driver). Running on CPU; see GPU setup.');
    expect(opened.status.details).toEqual(expect.arrayContaining([
      expect.stringMatching(/^CUDA: CUDA runtime not installed; fix: install the CUDA 12 runtime/),
      expect.stringMatching(/^CUDA: cuDNN 9 not installed; fix:/),
      expect.stringMatching(/^WebGPU: found Vulkan loader/),
    ]));
  });

  it('auto uses the best provider that opens and runs a warm-up window', async () => {
    const { backend, tried } = fakeBackend({});
    const opened = await openWithFallback('m.onnx', 'auto', checksFor(FULL_CUDA), 'linux', backend);
    expect(tried).toEqual(['cuda', 'warm-up cuda']);
    expect(opened.status).toMatchObject({ requested: 'auto', active: 'cuda', available: ['cpu', 'cuda', 'webgpu'] });
    expect(opened.status.fallbackReason).toBeUndefined();
  });

  it('a provider that loads but fails its warm-up is released and the next one is tried', async () => {
    const { backend, tried } = fakeBackend({}, { cuda: 'CUDA failure 222: the provided PTX was compiled with an unsupported toolchain' });
    const opened = await openWithFallback('m.onnx', 'auto', checksFor(FULL_CUDA), 'linux', backend);
    expect(tried).toEqual(['cuda', 'warm-up cuda', 'release cuda', 'webgpu', 'warm-up webgpu']);
    expect(opened.status.active).toBe('webgpu');
    expect(opened.status.details).toContain('CUDA: tried, failed: CUDA failure 222: the provided PTX was compiled with an unsupported toolchain');
  });

  it('every GPU failing gives CPU with the third-party message in the details only', async () => {
    const { backend } = fakeBackend({
      cuda: '/onnxruntime_src/x.cc:12 Failed to load shared library libcudnn.so.9',
      webgpu: 'adapter_result.status == Success was false. Failed to get a WebGPU adapter',
    });
    const opened = await openWithFallback('m.onnx', 'auto', checksFor(FULL_CUDA), 'linux', backend);
    expect(opened.status.fallbackReason).toBe('No GPU provider could start (CUDA: failed to start (see the details); WebGPU: failed to start (see the details)). Running on CPU; see GPU setup.');
    expect(opened.status.details).toContain('CUDA: tried, failed: Failed to load shared library libcudnn.so.9');
    expect(opened.status.details).toContain('WebGPU: tried, failed: Failed to get a WebGPU adapter');
  });

  it('an explicit GPU choice is tried even when the check found a gap, and the gap is the reason', async () => {
    const { backend, tried } = fakeBackend({ dml: 'DirectML device lost' });
    const win: GpuFacts = { ...NO_GPU, platform: 'win32', directml: 'C:\\app\\DirectML.dll', d3d12: null };
    const opened = await openWithFallback('m.onnx', 'dml', checksFor(win, ['cpu', 'dml']), 'win32', backend);
    expect(tried).toEqual(['dml', 'cpu']);
    expect(opened.status.fallbackReason).toBe('DirectML could not start: DirectX 12 not found. Running on CPU; see GPU setup.');
  });

  it('cpu asked for is no fallback; a CPU failure is a real error', async () => {
    const ok = await openWithFallback('m.onnx', 'cpu', checksFor(NO_GPU), 'linux', fakeBackend({}).backend);
    expect(ok.status.fallbackReason).toBeUndefined();
    await expect(openWithFallback('m.onnx', 'cpu', checksFor(NO_GPU), 'linux', fakeBackend({ cpu: 'model is corrupt' }).backend)).rejects.toThrow('model is corrupt');
  });

  it('lists the OS GPU providers and the ones in the build', () => {
    expect(gpuProvidersFor('linux')).toEqual(['cuda', 'webgpu']);
    expect(gpuProvidersFor('win32')).toEqual(['dml']);
    expect(gpuProvidersFor('darwin')).toEqual(['coreml']);
    const backends = [{ name: 'cpu', bundled: true }, { name: 'webgpu', bundled: true }, { name: 'cuda', bundled: false }, { name: 'tensorrt', bundled: false }];
    expect(availableProviders(backends, false)).toEqual(['cpu', 'webgpu']);
    expect(availableProviders(backends, true)).toEqual(['cpu', 'cuda', 'webgpu']);
  });
});

describe('provider checks', () => {
  it('names the most basic gap first: driver, then runtime, then cuDNN, then the onnxruntime provider', () => {
    const problems = (f: GpuFacts) => checkProvider('cuda', f, IN_BUILD).missing.map((m) => m.problem);
    expect(checkProvider('cuda', FULL_CUDA, IN_BUILD)).toMatchObject({ ready: true, missing: [] });
    expect(problems({ ...FULL_CUDA, nvidiaDriver: { version: '470.82.01', source: 'x' } })).toEqual(['NVIDIA driver 470.82.01 is too old for CUDA 12']);
    expect(problems({ ...FULL_CUDA, cudart: null })).toEqual(['CUDA runtime not installed']);
    expect(problems({ ...FULL_CUDA, cudnn: null, otherCudnn: '/usr/lib/libcudnn.so.8' })).toEqual(['cuDNN 9 not installed (found libcudnn.so.8)']);
    expect(problems({ ...FULL_CUDA, ortCudaProvider: null })).toEqual(["onnxruntime's CUDA provider not installed"]);
    expect(checkProvider('cuda', { ...FULL_CUDA, platform: 'darwin', arch: 'arm64' }, IN_BUILD).ready).toBe(false);
  });

  it('a software Vulkan driver is not a GPU', () => {
    const lavapipe = checkProvider('webgpu', { ...NO_GPU, vulkanIcds: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'] }, IN_BUILD);
    expect(lavapipe.ready).toBe(false);
    expect(lavapipe.missing[0]!.problem).toBe('only a software Vulkan driver');
    expect(checkProvider('webgpu', FULL_CUDA, IN_BUILD).ready).toBe(true);
    expect(checkProvider('webgpu', FULL_CUDA, ['cpu']).ready).toBe(false);
  });
});
