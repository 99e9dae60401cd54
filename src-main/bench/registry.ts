/**
 * The benchmark registry. Each benchmark is a module of this folder that calls `registerBenchmark` once at
 * import time; src-main/bench/main.ts imports every module (one line each) and runs what is registered, in
 * registration order. A benchmark returns figures, never judges them: the report compares each value with its
 * goal (report.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One figure. `goal`: "<= 1.0", ">= 10", "< 20", or "info" (no goal). */
export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  goal: string;
  note?: string;
}

/** What every benchmark gets: the common options of `npm run bench` and its extra `--key value` pairs. */
export interface BenchContext {
  /** The ONNX model to use (default: the bundled CCFormer). */
  model: string;
  device: 'cpu' | 'auto';
  /** Timed repetitions (each benchmark takes its median). */
  runs: number;
  /** Clip size for video benchmarks. */
  width: number;
  height: number;
  transport: 'process' | 'thread';
  /** Options not known to main.ts (`--ccformer-variants X`), for benchmarks that define their own. */
  extra: Record<string, string>;
  /** Progress on stderr (stdout carries the JSON lines). */
  log(message: string): void;
}

export interface Benchmark {
  /** Short id used by `--only` (e.g. "prelabel"). */
  id: string;
  /** What it measures, one line (the Markdown report's section name). */
  title: string;
  run(ctx: BenchContext): Promise<BenchLine[]>;
}

/** For benchmarks that need a scratch folder: made fresh for the run, removed after it. */
export async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'avs-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const registry: Benchmark[] = [];

export function registerBenchmark(benchmark: Benchmark): void {
  if (registry.some((b) => b.id === benchmark.id)) throw new Error(`benchmark "${benchmark.id}" is registered twice`);
  registry.push(benchmark);
}

export function registeredBenchmarks(): readonly Benchmark[] {
  return registry;
}
