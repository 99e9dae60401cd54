// GPU detection on THIS machine (real files, real `ldconfig -p`; the build machines have no GPU, no NVIDIA
// driver and no Vulkan driver), checked against what the same files say when read directly here, plus
// described machines through a SystemProbe (library search order, driver version parsing, ICD discovery).
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectGpu, findLibrary, parseNvidiaDriverVersion, systemProbe, type SystemProbe } from '../../../src-main/inference/gpu-detect';
import { checkProvider } from '../../../src-main/inference/provider-checks';

function fakeProbe(files: Record<string, string>, env: Record<string, string> = {}, cache = ''): SystemProbe {
  return {
    platform: 'linux', arch: 'x64', env,
    readText: (p) => files[p] ?? null,
    exists: (p) => p in files,
    listDir: (dir) => Object.keys(files).filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1)),
    linkerCache: () => cache,
    ortBinDir: () => '/app/ort',
  };
}

describe('GPU detection on this machine', () => {
  const facts = detectGpu(systemProbe());

  it('reports exactly what the files say', () => {
    expect(facts.ortBinDir).toMatch(/onnxruntime-node[\\/]bin[\\/]napi-v6[\\/]linux[\\/]x64$/);
    expect(facts.nvidiaDriver !== null).toBe(existsSync('/proc/driver/nvidia/version'));
    expect(facts.ortCudaProvider !== null).toBe(existsSync(`${facts.ortBinDir}/libonnxruntime_providers_cuda.so`));
    const icdDirs = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
    const icds = icdDirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')) : []));
    if (!process.env['VK_ICD_FILENAMES'] && !process.env['VK_DRIVER_FILES']) expect(facts.vulkanIcds.length).toBe(icds.length);
  });

  it('on a machine without a driver, neither CUDA nor WebGPU is ready, with the reason a user can act on', () => {
    const cuda = checkProvider('cuda', facts, ['cpu', 'webgpu']);
    const webgpu = checkProvider('webgpu', facts, ['cpu', 'webgpu']);
    if (!facts.nvidiaDriver && !facts.libcuda) {
      expect(cuda.ready).toBe(false);
      expect(cuda.missing[0]!.problem).toBe('no NVIDIA driver found');
    }
    if (facts.vulkanIcds.length === 0) {
      expect(webgpu.ready).toBe(false);
      expect(webgpu.missing.map((m) => m.problem)).toContain('no Vulkan driver');
    }
    expect(checkProvider('cpu', facts, ['cpu']).ready).toBe(true);
  });
});

describe('GPU detection on described machines', () => {
  it('finds libraries on LD_LIBRARY_PATH, in the usual folders and through the linker cache', () => {
    const probe = fakeProbe({ '/opt/cu12/lib/libcudart.so.12': '', '/usr/lib/x86_64-linux-gnu/libvulkan.so.1': '' }, { LD_LIBRARY_PATH: '/opt/cu12/lib' },
      '\tlibcudnn.so.9 (libc6,x86-64) => /srv/cudnn/libcudnn.so.9\n');
    expect(findLibrary(probe, ['libcudart.so.12'])).toBe('/opt/cu12/lib/libcudart.so.12');
    expect(findLibrary(probe, ['libvulkan.so.1'])).toBe('/usr/lib/x86_64-linux-gnu/libvulkan.so.1');
    expect(findLibrary(probe, ['libcudnn.so.9'])).toBe('/srv/cudnn/libcudnn.so.9');
    expect(findLibrary(probe, ['libcublasLt.so.12'])).toBeNull();
  });

  it('reads the driver version, a CUDA of another major version, the provider library and the ICDs', () => {
    const facts = detectGpu(fakeProbe({
      '/proc/driver/nvidia/version': 'NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.15  Release Build  (dvs-builder@U16)\n',
      '/usr/lib/x86_64-linux-gnu/libcuda.so.1': '',
      '/usr/local/cuda/lib64/libcudart.so.13': '',
      '/app/ort/libonnxruntime_providers_cuda.so': '',
      '/usr/share/vulkan/icd.d/nvidia_icd.json': '{}',
    }));
    expect(facts.nvidiaDriver).toEqual({ version: '550.54.15', source: '/proc/driver/nvidia/version' });
    expect(facts.cudart).toBeNull();
    expect(facts.otherCudart).toBe('/usr/local/cuda/lib64/libcudart.so.13');
    expect(facts.ortCudaProvider).toBe('/app/ort/libonnxruntime_providers_cuda.so');
    expect(facts.vulkanIcds).toEqual(['/usr/share/vulkan/icd.d/nvidia_icd.json']);
    expect(checkProvider('cuda', facts, ['cpu', 'cuda']).missing[0]!.problem).toBe('CUDA 12 runtime not installed (found libcudart.so.13, another major version)');
    expect(parseNvidiaDriverVersion('NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.82.01  Wed Oct 27 2021')).toBe('470.82.01');
  });
});
