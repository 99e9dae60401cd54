// The CLI through its real entry: main(argv) in-process for most cases, and `node bin/avs-annotator.mjs` as a
// child process (which builds dist/main first when stale). Datasets are checked with the dataset validator.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { validateAvssDataset } from '../../../src-main/dataset';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const tmp = makeTempDir();
let clip: string;
let model: string;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

beforeAll(() => {
  model = testModel();
  clip = makeVideo(join(tmp.dir, 'drums.mp4'), { seconds: 10, width: 96, height: 64 });
}, EXPORT_TIMEOUT_MS);
afterAll(() => tmp.cleanup());

describe('avs-annotator prelabel', () => {
  it('writes an AVSS dataset the validator accepts and prints a JSON summary (real process, exit code 0)', async () => {
    const out = join(tmp.dir, 'ds');
    const res = await promisify(execFile)(process.execPath, [
      join(repoRoot, 'bin', 'avs-annotator.mjs'), 'prelabel', clip, '--out', out, '--model', model, '--device', 'cpu', '--split', 'test', '--json',
    ], { cwd: tmp.dir });
    const summary = JSON.parse(res.stdout) as { clips: number; uids: string[]; provider: { active: string }; classes: string[] };
    expect(summary).toMatchObject({ clips: 1, uids: ['drums_0_10000'], provider: { active: 'cpu' } });
    expect(Array.isArray(summary.classes)).toBe(true);
    expect(res.stderr).toContain('drums.mp4: masks 10/10 s');
    expect(await validateAvssDataset(out)).toEqual([]);
  }, 60_000);

  const notAVideo = join(tmp.dir, 'notes.mp4');
  const aFile = join(tmp.dir, 'plain-file');
  beforeAll(() => {
    writeFileSync(notAVideo, 'just text, no video here\n');
    writeFileSync(aFile, 'x');
  });
  it.each([
    ['a missing video', () => ['prelabel', join(tmp.dir, 'missing.mp4'), '--out', join(tmp.dir, 'o1'), '--model', model], /missing\.mp4: no such file/],
    ['a file that is not a video', () => ['prelabel', notAVideo, '--out', join(tmp.dir, 'o2'), '--model', model], /notes\.mp4: not a readable video/],
    ['a bad --device', () => ['prelabel', clip, '--out', join(tmp.dir, 'o3'), '--device', 'tpu'], /--device must be auto, cpu/],
    ['an unwritable --out', () => ['prelabel', clip, '--out', join(aFile, 'sub'), '--model', model], /plain-file\/sub: cannot be created/],
    ['a model that is not ONNX', () => ['prelabel', clip, '--out', join(tmp.dir, 'o5'), '--model', notAVideo], /notes\.mp4: not an ONNX model file/],
    ['an unknown option', () => ['prelabel', clip, '--out', join(tmp.dir, 'o6'), '--frobnicate'], /Unknown option '--frobnicate'/],
    ['neither --out nor --project', () => ['prelabel', clip], /give --project DIR, --out DIR or both/],
  ])('refuses %s: one line, exit code != 0, nothing written', async (_name, argv, message) => {
    const args = argv();
    const res = await run(args);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^avs-annotator: error: [^\n]+\n$/);
    expect(res.stderr).toMatch(message);
    const outIndex = args.indexOf('--out');
    if (outIndex >= 0) expect(existsSync(args[outIndex + 1]!)).toBe(false);
  });
});

describe('avs-annotator entry', () => {
  it('prints help and the version', async () => {
    expect((await run(['--help'])).stdout).toContain('prelabel VIDEO... --project DIR | --out DIR');
    expect((await run(['prelabel', '--help'])).stdout).toContain('--device D');
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const unknown = await run(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'avs-annotator: error: unknown command "frobnicate" (try avs-annotator --help)\n']);
  });

  it('runs as a real process through bin/avs-annotator.mjs (one-line error, exit code 2)', async () => {
    const exec = promisify(execFile);
    const version = await exec(process.execPath, [join(repoRoot, 'bin', 'avs-annotator.mjs'), '--version'], { cwd: tmp.dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const out = join(tmp.dir, 'never');
    const failed = await exec(process.execPath, [join(repoRoot, 'bin', 'avs-annotator.mjs'), 'prelabel', 'nope.mp4', '--out', out, '--model', model], { cwd: tmp.dir })
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`avs-annotator: error: ${join(tmp.dir, 'nope.mp4')}: no such file\n`);
    expect(readdirSync(tmp.dir)).not.toContain('never');
  }, 30_000);
});
