/**
 * The machine a report was measured on: CPU model, the SIMD flags that decide onnxruntime's kernels, cores,
 * memory, OS, Node, and the load average before and after (a loaded machine is said so next to the figures).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  /** The SIMD flags present among the ones that matter for inference kernels. */
  flags: string[];
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load averages. */
  loadBefore: number;
  loadAfter?: number;
}

const INTERESTING_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'amx_tile', 'amx_bf16', 'amx_int8', 'neon', 'asimd'];

/** The flags line of /proc/cpuinfo filtered to INTERESTING_FLAGS (in that order); empty where there is none. */
export function simdFlags(cpuinfo: string): string[] {
  const line = /^(flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo)?.[2] ?? '';
  const present = new Set(line.split(/\s+/));
  return INTERESTING_FLAGS.filter((f) => present.has(f));
}

export function machineInfo(): MachineInfo {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: the model name from os.cpus() is all there is.
  }
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    flags: simdFlags(cpuinfo),
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadBefore: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function currentLoad(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}
