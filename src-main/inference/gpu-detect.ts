/**
 * What GPU support is really on this machine, read from files (never from an installer's exit code): the
 * onnxruntime-node provider libraries, the NVIDIA driver (/proc/driver/nvidia/version, libcuda), the CUDA 12
 * runtime, cuBLAS and cuDNN 9 libraries, Vulkan's loader and ICD files (WebGPU runs on Vulkan on Linux through
 * Dawn), DirectX 12 / DirectML on Windows. Every file-system read goes through a SystemProbe so tests can
 * describe other machines; `systemProbe()` is the real one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

export interface SystemProbe {
  platform: NodeJS.Platform;
  arch: string;
  env: Record<string, string | undefined>;
  readText(path: string): string | null;
  exists(path: string): boolean;
  listDir(path: string): string[];
  /** `ldconfig -p` output (the dynamic linker's cache), or null where there is none. */
  linkerCache(): string | null;
  /** onnxruntime-node's binary folder for this platform/arch (bin/napi-v6/<platform>/<arch>), or null. */
  ortBinDir(): string | null;
}

export interface GpuFacts {
  platform: NodeJS.Platform;
  arch: string;
  ortBinDir: string | null;
  /** libonnxruntime_providers_cuda.so (downloaded at install time, Linux x64 only). */
  ortCudaProvider: string | null;
  nvidiaDriver: { version: string; source: string } | null;
  libcuda: string | null;
  cudart: string | null;
  cublas: string | null;
  cudnn: string | null;
  /** A CUDA runtime / cuDNN of another major version (a mismatch, not a fix): onnxruntime-node needs 12 / 9. */
  otherCudart: string | null;
  otherCudnn: string | null;
  vulkanLoader: string | null;
  /** Vulkan ICD manifests (one per installed Vulkan driver). */
  vulkanIcds: string[];
  directml: string | null;
  d3d12: string | null;
}

const LINUX_LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib',
  '/usr/local/cuda/lib64', '/usr/local/cuda/targets/x86_64-linux/lib', '/usr/lib/wsl/lib', '/opt/cuda/lib64',
];

const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/local/etc/vulkan/icd.d'];

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

export function systemProbe(): SystemProbe {
  return {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    readText: (path) => safe(() => readFileSync(path, 'utf8'), null),
    exists: (path) => safe(() => existsSync(path), false),
    listDir: (path) => safe(() => readdirSync(path), []),
    linkerCache: () => {
      if (process.platform !== 'linux') return null;
      for (const exe of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
        const res = safe(() => spawnSync(exe, ['-p'], { encoding: 'utf8', timeout: 5000 }), null);
        if (res && res.status === 0 && res.stdout) return res.stdout;
      }
      return null;
    },
    ortBinDir: () => safe(() => {
      const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
      // A packaged app loads the binding from app.asar.unpacked, where the files really are.
      const dir = join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch).replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
      return existsSync(dir) ? dir : null;
    }, null),
  };
}

/** Finds a shared library the way the dynamic linker would (LD_LIBRARY_PATH, its cache, the usual folders). */
export function findLibrary(probe: SystemProbe, names: readonly string[], extraDirs: readonly string[] = []): string | null {
  const dirs = [...extraDirs, ...(probe.env['LD_LIBRARY_PATH'] ?? '').split(delimiter).filter(Boolean), ...LINUX_LIB_DIRS];
  for (const name of names) {
    for (const dir of dirs) if (probe.exists(join(dir, name))) return join(dir, name);
  }
  const cache = probe.linkerCache() ?? '';
  for (const name of names) {
    const line = cache.split('\n').find((l) => l.trim().startsWith(`${name} `));
    const path = line?.split('=>')[1]?.trim();
    if (path) return path;
  }
  return null;
}

/** "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  ..." -> "550.54.15". */
export function parseNvidiaDriverVersion(text: string): string | null {
  return /Kernel Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? /\b(\d{3}\.\d+(?:\.\d+)?)\b/.exec(text)?.[1] ?? null;
}

function vulkanIcds(probe: SystemProbe): string[] {
  const fromEnv = (probe.env['VK_DRIVER_FILES'] ?? probe.env['VK_ICD_FILENAMES'] ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length) return fromEnv.filter((f) => probe.exists(f));
  const xdg = (probe.env['XDG_DATA_DIRS'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'vulkan', 'icd.d'));
  const dirs = [...new Set([...ICD_DIRS, ...xdg])];
  return dirs.flatMap((dir) => probe.listDir(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)));
}

export function detectGpu(probe: SystemProbe): GpuFacts {
  const ortBinDir = probe.ortBinDir();
  const facts: GpuFacts = {
    platform: probe.platform, arch: probe.arch, ortBinDir, ortCudaProvider: null, nvidiaDriver: null, libcuda: null,
    cudart: null, cublas: null, cudnn: null, otherCudart: null, otherCudnn: null, vulkanLoader: null, vulkanIcds: [], directml: null, d3d12: null,
  };
  if (probe.platform === 'linux') {
    const cudaProvider = ortBinDir ? join(ortBinDir, 'libonnxruntime_providers_cuda.so') : null;
    facts.ortCudaProvider = cudaProvider && probe.exists(cudaProvider) ? cudaProvider : null;
    const versionFile = '/proc/driver/nvidia/version';
    const versionText = probe.readText(versionFile);
    const version = versionText ? parseNvidiaDriverVersion(versionText) : null;
    if (version) facts.nvidiaDriver = { version, source: versionFile };
    const ortDirs = ortBinDir ? [ortBinDir] : [];
    facts.libcuda = findLibrary(probe, ['libcuda.so.1', 'libcuda.so']);
    facts.cudart = findLibrary(probe, ['libcudart.so.12'], ortDirs);
    facts.cublas = findLibrary(probe, ['libcublasLt.so.12'], ortDirs);
    facts.cudnn = findLibrary(probe, ['libcudnn.so.9'], ortDirs);
    if (!facts.cudart) facts.otherCudart = findLibrary(probe, ['libcudart.so.13', 'libcudart.so.11.0', 'libcudart.so.14']);
    if (!facts.cudnn) facts.otherCudnn = findLibrary(probe, ['libcudnn.so.8', 'libcudnn.so.10']);
    facts.vulkanLoader = findLibrary(probe, ['libvulkan.so.1']);
    facts.vulkanIcds = vulkanIcds(probe);
  } else if (probe.platform === 'win32') {
    const dml = ortBinDir ? join(ortBinDir, 'DirectML.dll') : null;
    facts.directml = dml && probe.exists(dml) ? dml : null;
    const d3d12 = join(probe.env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'd3d12.dll');
    facts.d3d12 = probe.exists(d3d12) ? d3d12 : null;
  }
  return facts;
}
