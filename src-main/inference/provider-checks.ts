/**
 * Per provider: is it worth trying here, what was found, what is missing, and how to fix it, in words a user
 * can act on. Pure functions of GpuFacts (gpu-detect.ts), so every machine the README's GPU setup describes can
 * be written down in a test. The problems are ordered from the most basic (no GPU driver) to the last piece (the
 * onnxruntime provider library): the first one is the short reason the CLI and the UI show.
 */
import { basename } from 'node:path';
import type { ProviderName } from '../shared/ipc-contract';
import type { GpuFacts } from './gpu-detect';

export interface ProviderCheck {
  provider: ProviderName;
  /** Everything the provider needs was found: `auto` tries only these. */
  ready: boolean;
  /** What is there, e.g. "NVIDIA driver 550.54.15 (/proc/driver/nvidia/version)". */
  found: string[];
  /** What is missing, most basic first: `{ problem: short words, fix: what to do }`. */
  missing: { problem: string; fix: string }[];
}

export const PROVIDER_LABEL: Record<ProviderName, string> = {
  cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'Core ML', webgpu: 'WebGPU',
};

/** CUDA 12 needs at least this Linux driver (CUDA 12.0 minor-version compatibility floor). */
export const MIN_CUDA12_DRIVER = [525, 60, 13] as const;

function olderThan(version: string, floor: readonly number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < floor.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== floor[i]) return a < floor[i]!;
  }
  return false;
}

const CUDA_PROVIDER_FIX = 'node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12 (needs the network), then check that libonnxruntime_providers_cuda.so appeared';

function cudaCheck(f: GpuFacts, inBuild: boolean): ProviderCheck {
  const found: string[] = [];
  const missing: ProviderCheck['missing'] = [];
  if (f.platform !== 'linux' || f.arch !== 'x64') {
    return { provider: 'cuda', ready: false, found, missing: [{ problem: `CUDA is not offered by onnxruntime-node on ${f.platform} ${f.arch}`, fix: f.platform === 'win32' ? 'use --device dml (DirectML, bundled)' : 'use the CPU' }] };
  }
  if (f.nvidiaDriver) found.push(`NVIDIA driver ${f.nvidiaDriver.version} (${f.nvidiaDriver.source})`);
  if (f.libcuda) found.push(`CUDA driver library ${f.libcuda}`);
  if (!f.nvidiaDriver && !f.libcuda) {
    missing.push({ problem: 'no NVIDIA driver found', fix: 'install the NVIDIA driver for your GPU (>= 525.60; `nvidia-smi` must work)' });
  } else if (f.nvidiaDriver && olderThan(f.nvidiaDriver.version, MIN_CUDA12_DRIVER)) {
    missing.push({ problem: `NVIDIA driver ${f.nvidiaDriver.version} is too old for CUDA 12`, fix: `update the NVIDIA driver to ${MIN_CUDA12_DRIVER.join('.')} or newer` });
  } else if (!f.libcuda) {
    missing.push({ problem: 'libcuda.so.1 not found', fix: 'reinstall the NVIDIA driver (it ships libcuda.so.1)' });
  }
  if (f.cudart) found.push(`CUDA 12 runtime ${f.cudart}`);
  else if (f.otherCudart) missing.push({ problem: `CUDA 12 runtime not installed (found ${basename(f.otherCudart)}, another major version)`, fix: 'install the CUDA 12 runtime beside it (libcudart.so.12; onnxruntime-node is built for CUDA 12) and put its lib folder on LD_LIBRARY_PATH' });
  else missing.push({ problem: 'CUDA runtime not installed', fix: 'install the CUDA 12 runtime (libcudart.so.12, e.g. `apt install cuda-runtime-12-x` or `cuda-cudart-12-x`) and put its lib folder on LD_LIBRARY_PATH' });
  if (f.cublas) found.push(`cuBLAS 12 ${f.cublas}`);
  else missing.push({ problem: 'cuBLAS 12 not installed', fix: 'install cuBLAS 12 (libcublasLt.so.12, `apt install libcublas-12-x`)' });
  if (f.cudnn) found.push(`cuDNN 9 ${f.cudnn}`);
  else if (f.otherCudnn) missing.push({ problem: `cuDNN 9 not installed (found ${basename(f.otherCudnn)})`, fix: 'install cuDNN 9 for CUDA 12 (libcudnn.so.9, `apt install libcudnn9-cuda-12`)' });
  else missing.push({ problem: 'cuDNN 9 not installed', fix: 'install cuDNN 9 for CUDA 12 (libcudnn.so.9, `apt install libcudnn9-cuda-12`)' });
  if (f.ortCudaProvider) found.push(`onnxruntime CUDA provider ${f.ortCudaProvider}`);
  else missing.push({ problem: "onnxruntime's CUDA provider not installed", fix: CUDA_PROVIDER_FIX });
  if (!inBuild && f.ortCudaProvider) missing.push({ problem: 'this onnxruntime-node build does not list CUDA', fix: CUDA_PROVIDER_FIX });
  return { provider: 'cuda', ready: missing.length === 0, found, missing };
}

/** Mesa's lavapipe and SwiftShader are CPU rasterisers: a "GPU" on them is slower than our CPU path. */
function isSoftwareIcd(file: string): boolean {
  return /lvp|lavapipe|swiftshader/i.test(file);
}

function webgpuCheck(f: GpuFacts, inBuild: boolean): ProviderCheck {
  const found: string[] = [];
  const missing: ProviderCheck['missing'] = [];
  if (!inBuild) missing.push({ problem: `WebGPU is not in this onnxruntime-node build for ${f.platform}`, fix: 'use another provider' });
  if (f.platform === 'linux') {
    const hardware = f.vulkanIcds.filter((icd) => !isSoftwareIcd(icd));
    if (f.vulkanLoader) found.push(`Vulkan loader ${f.vulkanLoader}`);
    for (const icd of f.vulkanIcds) found.push(`Vulkan driver ${icd}${isSoftwareIcd(icd) ? ' (software, not a GPU)' : ''}`);
    if (hardware.length === 0) {
      missing.push({ problem: f.vulkanIcds.length ? 'only a software Vulkan driver' : 'no Vulkan driver', fix: 'install the Vulkan driver of your GPU (NVIDIA driver, or `apt install mesa-vulkan-drivers` for AMD/Intel)' });
    }
    if (!f.vulkanLoader) missing.push({ problem: 'Vulkan loader not installed', fix: 'install libvulkan1 (`apt install libvulkan1`)' });
  }
  return { provider: 'webgpu', ready: missing.length === 0, found, missing };
}

function dmlCheck(f: GpuFacts, inBuild: boolean): ProviderCheck {
  const found: string[] = [];
  const missing: ProviderCheck['missing'] = [];
  if (f.platform !== 'win32') return { provider: 'dml', ready: false, found, missing: [{ problem: 'DirectML exists on Windows only', fix: 'use the CPU or your OS\'s provider' }] };
  if (f.directml) found.push(`DirectML ${f.directml}`);
  else missing.push({ problem: 'DirectML.dll missing from the app', fix: 'reinstall AVS Annotator' });
  if (f.d3d12) found.push(`DirectX 12 ${f.d3d12}`);
  else missing.push({ problem: 'DirectX 12 not found', fix: 'update Windows and your GPU driver' });
  if (!inBuild) missing.push({ problem: 'this onnxruntime-node build does not list DirectML', fix: 'reinstall AVS Annotator' });
  return { provider: 'dml', ready: missing.length === 0, found, missing };
}

function coremlCheck(f: GpuFacts, inBuild: boolean): ProviderCheck {
  if (f.platform !== 'darwin') return { provider: 'coreml', ready: false, found: [], missing: [{ problem: 'Core ML exists on macOS only', fix: 'use the CPU or your OS\'s provider' }] };
  return inBuild
    ? { provider: 'coreml', ready: true, found: ['Core ML (part of macOS)'], missing: [] }
    : { provider: 'coreml', ready: false, found: [], missing: [{ problem: 'this onnxruntime-node build does not list Core ML', fix: 'reinstall AVS Annotator' }] };
}

/** `inBuild`: providers onnxruntime-node lists as bundled here (cpu is always ready). */
export function checkProvider(provider: ProviderName, facts: GpuFacts, inBuild: readonly ProviderName[]): ProviderCheck {
  const listed = inBuild.includes(provider);
  if (provider === 'cuda') return cudaCheck(facts, listed);
  if (provider === 'webgpu') return webgpuCheck(facts, listed);
  if (provider === 'dml') return dmlCheck(facts, listed);
  if (provider === 'coreml') return coremlCheck(facts, listed);
  return { provider: 'cpu', ready: true, found: ['CPU (always available)'], missing: [] };
}
