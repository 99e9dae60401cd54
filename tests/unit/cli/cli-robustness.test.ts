// The CLI against careless input: FIFOs and folders given as video or model, an output folder on a virtual file
// system or holding a corrupt dataset, models that break the contract, truncated and silent videos, and Ctrl+C at
// random moments of a real process. Every refusal: one line naming the file, exit 2, before any pre-labelling.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { main } from '../../../src-main/cli/main';
import { resolveFfmpeg } from '../../../src-main/media/ffmpeg-binaries';
import { makeContractModels, type ContractCase } from '../app-support/contract-models';
import { makeTempDir, makeVideo } from '../app-support/test-media';
import { testModel } from '../app-support/test-model';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const tmp = makeTempDir('avs-cli-robust-');
let clip = '';
let model = '';
let contract: (name: ContractCase) => string;
const rejections: unknown[] = [];
const onRejection = (err: unknown): void => void rejections.push(err);

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The in-process CLI's temp folder (os.tmpdir() reads TMPDIR): private, so other runs on the machine do not show. */
const privateTmp = join(tmp.dir, 'os-tmp');
const previousTmp = process.env['TMPDIR'];
/** Work and scratch folders the app left in its temp folder. */
const workFolders = (): string[] => readdirSync(privateTmp).filter((n) => n.startsWith('avs-'));

beforeAll(() => {
  process.on('unhandledRejection', onRejection);
  mkdirSync(privateTmp);
  process.env['TMPDIR'] = privateTmp;
  model = testModel();
  clip = makeVideo(join(tmp.dir, 'drums.mp4'), { seconds: 3, width: 96, height: 64 });
  mkdirSync(join(tmp.dir, 'models'));
  contract = makeContractModels(join(tmp.dir, 'models'));
  execFileSync('mkfifo', [join(tmp.dir, 'pipe.mp4'), join(tmp.dir, 'pipe.onnx')]);
}, 120_000);
afterAll(() => {
  process.off('unhandledRejection', onRejection);
  if (previousTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = previousTmp;
  tmp.cleanup();
});

describe('refused at once with one line and exit 2', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['a FIFO as the video', () => [join(tmp.dir, 'pipe.mp4'), '--model', model], /pipe\.mp4: is a named pipe \(FIFO\), not a video file$/],
    // A folder is a list of videos (every video file in it): a FIFO among them is refused by name, at once.
    ['a folder holding a FIFO named .mp4', () => [tmp.dir, '--model', model], /pipe\.mp4: is a named pipe \(FIFO\), not a video file$/],
    ['a device as the video', () => ['/dev/zero', '--model', model], /\/dev\/zero: is a device, not a video file$/],
    ['a FIFO as the model', () => [clip, '--model', join(tmp.dir, 'pipe.onnx')], /pipe\.onnx: is a named pipe \(FIFO\), not a model file$/],
    ['a folder as the model', () => [clip, '--model', tmp.dir], /: is a folder, not a model file$/],
    ['wrong model input names', () => [clip, '--model', contract('wrong-inputs')], /wrong-inputs\.onnx: model input "frames" is missing \(the graph has "video", "sound"\)$/],
    ['a frames input of rank 3', () => [clip, '--model', contract('frames-rank-3')], /frames-rank-3\.onnx: model input "frames" must have rank 4/],
    ['3 output channels for 71 classes', () => [clip, '--model', contract('avss-3-channels')], /avss-3-channels\.onnx: model output "logits" has 3 channels but its metadata lists 71 classes$/],
    ['3 channels only the run shows', () => [clip, '--model', contract('avss-symbolic-3-channels')], /avss-symbolic-3-channels\.onnx: model output "logits" has 3 channels but its metadata lists 71 classes$/],
    ['std = 0', () => [clip, '--model', contract('std-zero')], /std-zero\.onnx: model metadata "std" must be positive numbers/],
    ['a huge frames_per_clip', () => [clip, '--model', contract('huge-window')], /huge-window\.onnx: model metadata "frames_per_clip" must be an integer from 1 to 64, got 100000$/],
    ['a model naming no AVSS class', () => [clip, '--model', contract('no-avss-class')], /no-avss-class\.onnx names no AVSS class: nothing could be pre-labelled/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const out = join(tmp.dir, `out-${Math.random().toString(36).slice(2)}`);
    const res = await run(['prelabel', ...args(), '--out', out, '--device', 'cpu']);
    expect(res.stderr).toMatch(/^avs-annotator: error: [^\n]+\n$/);
    expect(res.stderr.trim()).toMatch(message);
    expect(res.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(workFolders()).toEqual([]); // the work folder and the scratch project are gone too
    expect(rejections).toEqual([]);
  }, 60_000);

  it('an output folder on a virtual file system, before pre-labelling', async () => {
    const res = await run(['prelabel', clip, '--model', model, '--out', '/proc/avs-test/ds', '--device', 'cpu']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^avs-annotator: error: \/proc\/avs-test\/ds: (cannot be created in \/proc|is not writable)[^\n]*\n$/);
    const project = await run(['prelabel', clip, '--model', model, '--project', '/proc/avs-test/project', '--device', 'cpu']);
    expect(project.code).toBe(2);
    expect(project.stderr).toMatch(/^avs-annotator: error: \/proc\/avs-test\/project: (cannot be created in \/proc|is not writable)[^\n]*\n$/);
  });

  it('a corrupt metadata.csv or label2idx.json in the output, before pre-labelling', async () => {
    for (const [file, text, message] of [
      ['metadata.csv', 'vid,uid\n"broken\n', /metadata\.csv: line \d+: unterminated quoted field/],
      ['label2idx.json', '{"background": 7', /label2idx\.json: not valid JSON/],
    ] as const) {
      const out = join(tmp.dir, `corrupt-${file}`);
      mkdirSync(out);
      writeFileSync(join(out, file), text);
      const res = await run(['prelabel', clip, '--model', model, '--out', out, '--device', 'cpu']);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/masks \d+\/\d+ s/); // refused before any window ran
      expect(readdirSync(out)).toEqual([file]);
      expect(readFileSync(join(out, file), 'utf8')).toBe(text);
    }
  });
});

describe('videos that are not what they seem', () => {
  it('a truncated file is labelled with a warning that says where frames and audio end', async () => {
    const file = join(tmp.dir, 'cut.mp4');
    execFileSync(resolveFfmpeg().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=96x64:rate=10:duration=10',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=10', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-shortest', '-movflags', '+faststart', file]);
    truncateSync(file, Math.round(statSync(file).size * 0.4));
    const res = await run(['prelabel', file, '--model', model, '--out', join(tmp.dir, 'cut-ds'), '--device', 'cpu']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/warn: \S*cut\.mp4: video frames end at \d\.\d s though the file says 10\.0 s \(truncated file\?\)/);
    expect(res.stderr).toMatch(/warn: \S*cut\.mp4: audio ends at \d\.\d s though the file says 10\.0 s \(truncated file\?\)/);
  }, 60_000);

  it('a video without an audio track is labelled as silent and says so', async () => {
    const file = makeVideo(join(tmp.dir, 'mute.mp4'), { seconds: 10, width: 96, height: 64, audio: false });
    const out = join(tmp.dir, 'mute-ds');
    const res = await run(['prelabel', file, '--model', model, '--out', out, '--device', 'cpu', '--json']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/warn: \S*mute\.mp4: has no audio track: pre-labelled as silent \(no sounding objects\)/);
    expect((JSON.parse(res.stdout) as { classes: string[] }).classes).toEqual([]);
    expect(readFileSync(join(out, 'metadata.csv'), 'utf8').split('\n')[1]).toBe('mute,mute_0_10000,0,0,,train,v2');
  }, 60_000);
});

describe('Ctrl+C', () => {
  it('ends a real run with exit 130 at any moment: children killed, work folder removed', async () => {
    // Long enough that no run finishes before its signal, even on a fast idle machine (40 s took < 3 s).
    const long = makeVideo(join(tmp.dir, 'long-run.mp4'), { seconds: 240, width: 160, height: 120 });
    const procTmp = join(tmp.dir, 'proc-tmp');
    mkdirSync(procTmp);
    // From just after start-up (node itself must be running to catch a signal) to deep in the pre-label.
    for (const delayMs of [700, 1500, 3000]) {
      const out = join(tmp.dir, `sigint-${delayMs}`);
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'avs-annotator.mjs'), 'prelabel', long, '--model', model, '--out', out, '--device', 'cpu'],
        { env: { ...process.env, TMPDIR: procTmp }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGINT');
      const [code, signal] = await exited;
      expect([code, signal], stderr).toEqual([130, null]);
      expect(stderr.trim().split('\n').at(-1)).toMatch(/^avs-annotator: error: interrupted/);
      expect(stderr).not.toMatch(/at .*\.(m?js|ts):\d+/); // no stack trace
      expect(readdirSync(procTmp).filter((n) => n.startsWith('avs-'))).toEqual([]); // work folder removed
      expect(existsSync(out)).toBe(false);
      // No decoder or inference process of that run survives it.
      const left = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes(long) || l.includes(procTmp));
      expect(left).toEqual([]);
    }
  }, 120_000);
});
