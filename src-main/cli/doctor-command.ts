/**
 * `avs-annotator doctor`: what GPU support this machine really has. Per provider of this OS: what was found on
 * disk, what is missing and how to fix it, whether it was tried and what happened, and a short speed check (one
 * window of the bundled model) on every provider that works. Ends with what `--device auto` picks here, in the
 * same words the app and `prelabel` use.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { DeviceChoice, ProviderName, ProviderStatus } from '../shared/ipc-contract';
import { LOGMEL_BANDS, LOGMEL_FRAMES } from '../shared/onnx-contract';
import { detectGpu, systemProbe } from '../inference/gpu-detect';
import { InferenceHost } from '../inference/inference-host';
import { loadModelContract } from '../inference/onnx-metadata';
import { checkProvider, PROVIDER_LABEL, type ProviderCheck } from '../inference/provider-checks';
import { gpuProvidersFor } from '../inference/providers';
import { appVersion, bundledModelPath } from '../pipeline/app-paths';
import { parse, UsageError, type CliIo, PROG } from './cli-io';

export const DOCTOR_HELP = `Usage: ${PROG} doctor [--model FILE] [--try-all] [--json]

Says which execution providers (CPU, CUDA, WebGPU, DirectML, Core ML) work on this machine: what was found
(driver, CUDA runtime, cuDNN, Vulkan, provider libraries), what is missing and how to fix it, and the time of
one window of the model on each provider that works.
  --model FILE   model for the speed check (default: the bundled CCFormer)
  --try-all      also try providers whose libraries were not found (their native output goes in the report)
  --json         the report as JSON on stdout
`;

export interface ProviderReport extends ProviderCheck {
  tried: boolean;
  /** The provider really ran (session + warm-up); false when it was tried and fell back. */
  works: boolean;
  /** What went wrong when tried (third-party message, one line each), and the worker's native output. */
  triedDetails: string[];
  /** One window: the first run after opening, and a second one (steady state), in ms. */
  speed?: { firstMs: number; steadyMs: number };
}

export interface DoctorReport {
  version: string;
  platform: string;
  arch: string;
  onnxruntime: string;
  inBuild: ProviderName[];
  model: string;
  window: string;
  providers: ProviderReport[];
  auto: ProviderStatus;
}

function ortVersion(): string {
  try {
    return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function timeWindow(host: InferenceHost, t: number, height: number, width: number): Promise<number> {
  const out = await host.run({ frames: new Float32Array(t * 3 * height * width), audio: new Float32Array(t * LOGMEL_FRAMES * LOGMEL_BANDS), t, height, width });
  return Math.round(out.runMs);
}

export async function gatherDoctorReport(model: string, tryAll: boolean): Promise<DoctorReport> {
  const contract = await loadModelContract(model);
  const t = contract.framesPerClip;
  const [height, width] = contract.inputSize;
  const host = new InferenceHost();
  try {
    const inBuild = await host.providers();
    const facts = detectGpu(systemProbe());
    const providers: ProviderReport[] = [];
    for (const provider of ['cpu', ...gpuProvidersFor(process.platform)] as ProviderName[]) {
      const check = checkProvider(provider, facts, inBuild);
      const report: ProviderReport = { ...check, tried: false, works: false, triedDetails: [] };
      providers.push(report);
      if (!check.ready && !tryAll) continue;
      report.tried = true;
      const status = await host.ensureSession(model, provider);
      report.works = status.active === provider;
      report.triedDetails = (status.details ?? []).filter((d) => /tried, failed|worker stderr/.test(d));
      if (report.works) {
        const firstMs = await timeWindow(host, t, height, width);
        report.speed = { firstMs, steadyMs: await timeWindow(host, t, height, width) };
      }
    }
    const auto = await host.ensureSession(model, 'auto' as DeviceChoice);
    return {
      version: appVersion(), platform: process.platform, arch: process.arch, onnxruntime: ortVersion(), inBuild,
      model, window: `${t} frames at ${width}x${height}`, providers, auto,
    };
  } finally {
    await host.dispose();
  }
}

export function formatDoctorReport(r: DoctorReport): string {
  const lines = [
    `AVS Annotator ${r.version} on ${r.platform} ${r.arch}, onnxruntime-node ${r.onnxruntime} (providers in this build: ${r.inBuild.join(', ')})`,
    `Speed check: one window (${r.window}) of ${r.model}`,
    '',
  ];
  for (const p of r.providers) {
    const label = PROVIDER_LABEL[p.provider];
    const state = p.works ? 'works' : p.tried ? 'tried, does not start' : 'not available';
    lines.push(`${label}: ${state}`);
    for (const f of p.found) lines.push(`  found: ${f}`);
    for (const m of p.missing) lines.push(`  missing: ${m.problem}`, `    fix: ${m.fix}`);
    if (!p.tried) lines.push('  not tried (install what is missing, or run with --try-all)');
    for (const d of p.triedDetails) lines.push(`  ${d.replace(/^\S+: /, '')}`);
    if (p.speed) lines.push(`  speed: ${p.speed.firstMs} ms first window, ${p.speed.steadyMs} ms steady`);
    lines.push('');
  }
  const cpu = r.providers.find((p) => p.provider === 'cpu')?.speed;
  const best = r.providers.find((p) => p.provider === r.auto.active)?.speed;
  const speedup = cpu && best && r.auto.active !== 'cpu' ? ` (${(cpu.steadyMs / best.steadyMs).toFixed(1)}x the CPU)` : '';
  lines.push(`--device auto runs on ${PROVIDER_LABEL[r.auto.active]}${speedup}${r.auto.fallbackReason ? `: ${r.auto.fallbackReason}` : '.'}`);
  return `${lines.join('\n')}\n`;
}

export async function runDoctor(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('doctor', argv, {
    model: { type: 'string' }, 'try-all': { type: 'boolean' }, json: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`doctor: unexpected argument "${positionals[0]}"`);
  const model = values.model ? resolve(values.model) : bundledModelPath();
  if (!model) throw new UsageError('no bundled model is installed: pass --model FILE.onnx');
  const report = await gatherDoctorReport(model, values['try-all'] === true);
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : formatDoctorReport(report));
  return report.providers.some((p) => p.works) ? 0 : 1;
}
