// `avs-annotator doctor` on this machine (real onnxruntime, real file checks: no GPU here, so CPU works and the
// GPU providers report what is missing), the report's wording for a described GPU machine, and the promise that
// `--device auto` prints ONE warning line and no third-party (Dawn/Vulkan) output on stderr.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { formatDoctorReport, type DoctorReport } from '../../../src-main/cli/doctor-command';
import { detectGpu, systemProbe } from '../../../src-main/inference/gpu-detect';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const tmp = makeTempDir();
let clip: string;
let model: string;

beforeAll(() => {
  model = testModel();
  // 10 s: one AVSS clip (a shorter video gives none, with its own warning line).
  clip = makeVideo(join(tmp.dir, 'drums.mp4'), { seconds: 10, width: 96, height: 64 });
}, EXPORT_TIMEOUT_MS);
afterAll(() => tmp.cleanup());

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('avs-annotator doctor', () => {
  it('reports every provider of this OS with what was found, what is missing and a speed check', async () => {
    const res = await run(['doctor', '--model', model]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^AVS Annotator \S+ on linux x64, onnxruntime-node 1\.30\.0 \(providers in this build: cpu/);
    expect(res.stdout).toMatch(/\nCPU: works\n {2}found: CPU \(always available\)\n {2}speed: \d+ ms first window, \d+ ms steady\n/);
    const facts = detectGpu(systemProbe());
    if (!facts.nvidiaDriver && !facts.libcuda) {
      expect(res.stdout).toMatch(/\nCUDA: not available\n(.*\n)* {2}missing: no NVIDIA driver found\n {4}fix: install the NVIDIA driver/);
    }
    if (facts.vulkanIcds.length === 0) {
      expect(res.stdout).toMatch(/\nWebGPU: not available\n(.*\n)* {2}missing: no Vulkan driver\n {4}fix: /);
      expect(res.stdout).toMatch(/\n--device auto runs on CPU: No GPU provider could start \(.*WebGPU: no Vulkan driver\)\. Running on CPU; see GPU setup\.\n$/);
    }
  }, 60_000);

  it('--json gives the same report as data', async () => {
    const res = await run(['doctor', '--model', model, '--json']);
    const report = JSON.parse(res.stdout) as DoctorReport;
    expect(report.providers.map((p) => p.provider)).toEqual(['cpu', 'cuda', 'webgpu']);
    const cpu = report.providers[0]!;
    expect(cpu).toMatchObject({ ready: true, tried: true, works: true });
    expect(cpu.speed!.steadyMs).toBeGreaterThan(0);
    for (const gpu of report.providers.slice(1)) expect(gpu.works || gpu.missing.length > 0 || gpu.triedDetails.length > 0).toBe(true);
  }, 60_000);

  it('words a GPU machine\'s report with the speed-up over the CPU', () => {
    const report: DoctorReport = {
      version: '0.1.0', platform: 'linux', arch: 'x64', onnxruntime: '1.30.0', inBuild: ['cpu', 'cuda', 'webgpu'], model: 'm.onnx',
      window: '10 frames at 224x224',
      providers: [
        { provider: 'cpu', ready: true, found: ['CPU (always available)'], missing: [], tried: true, works: true, triedDetails: [], speed: { firstMs: 900, steadyMs: 800 } },
        { provider: 'cuda', ready: true, found: ['NVIDIA driver 550.54.15 (/proc/driver/nvidia/version)'], missing: [], tried: true, works: true, triedDetails: [], speed: { firstMs: 300, steadyMs: 40 } },
      ],
      auto: { requested: 'auto', active: 'cuda', available: ['cpu', 'cuda'] },
    };
    const text = formatDoctorReport(report);
    expect(text).toContain('CUDA: works\n  found: NVIDIA driver 550.54.15 (/proc/driver/nvidia/version)\n  speed: 300 ms first window, 40 ms steady\n');
    expect(text.endsWith('--device auto runs on CUDA (20.0x the CPU).\n')).toBe(true);
  });
});

describe('the CPU fallback on stderr', () => {
  const bin = join(repoRoot, 'bin', 'avs-annotator.mjs');
  const prelabel = async (device: string) => {
    const out = join(tmp.dir, `ds-${device}`);
    const res = await promisify(execFile)(process.execPath, [bin, 'prelabel', clip, '--out', out, '--model', model, '--device', device], { cwd: tmp.dir });
    expect(existsSync(join(out, 'metadata.csv'))).toBe(true);
    return res.stderr;
  };

  it('is one warning line, printed once, with no third-party output', async () => {
    for (const device of ['auto', 'webgpu']) {
      const stderr = await prelabel(device);
      const warnings = stderr.split('\n').filter((l) => l.includes('warn'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^avs-annotator: warn: .*Running on CPU; see GPU setup\.$/);
      expect(stderr).not.toMatch(/vkCreateInstance|Dawn|VulkanError|\.cpp:\d+/);
      expect(stderr.split('\n').filter((l) => /Running on CPU/.test(l))).toHaveLength(1);
    }
  }, 90_000);
});
