/**
 * `avs-annotator demo`: the README's main job. Pre-labels the bundled sample (assets/sample.mp4) with the
 * bundled CCFormer, writes its AVSS dataset, then opens the UI on it: the desktop app where Electron's binary is
 * installed, otherwise browser mode in this process (the result is already in its store), printing the URL.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { isDeviceChoice } from '../inference/providers';
import { createAppCore } from '../ipc/app-core';
import { appRoot, bundledModelPath, sampleVideoPath } from '../pipeline/app-paths';
import { parse, portOption, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir, progressPrinter } from './cli-support';
import { browserDialogs, ensureRenderer, serveCore } from './serve-command';

export const DEMO_HELP = `Usage: ${PROG} demo [--out DIR] [--device D] [--no-ui] [--no-browser] [--port N]

Pre-labels the bundled sample video with the bundled CCFormer model, writes the AVSS dataset to DIR
(default ./avs-demo-dataset), then opens the annotator on it (desktop app if Electron is installed, else
your browser).
  --no-ui         stop after writing the dataset
  --no-browser    browser mode: print the URL without opening a browser
`;

/** Electron's binary, or null where it was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, offline installs). */
export function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(join(appRoot(), 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export async function runDemo(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('demo', argv, {
    out: { type: 'string' }, device: { type: 'string' }, 'no-ui': { type: 'boolean' }, 'no-browser': { type: 'boolean' },
    port: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`demo: unexpected argument "${positionals[0]}"`);
  const device = values.device ?? 'auto';
  if (!isDeviceChoice(device)) throw new UsageError(`--device must be auto, cpu, cuda, dml, coreml or webgpu, got "${device}"`);
  const port = portOption(values.port);
  const sample = sampleVideoPath();
  const model = bundledModelPath();
  if (!sample) throw new UsageError('the bundled sample video assets/sample.mp4 is missing');
  if (!model) throw new UsageError('the bundled model models/ccformer-tiny-synth.onnx is missing');
  const outDir = resolve(values.out ?? 'avs-demo-dataset');
  await checkOutDir(outDir);

  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(outDir), modelPath: model, modelRequired: true });
  try {
    const video = await core.openVideo(sample);
    core.events.subscribe(progressPrinter(io, () => video.fileName));
    const jobId = core.startPrelabel(video.videoId, device);
    const cancel = (): void => void core.handleRequest('prelabel:cancel', { jobId });
    signal.addEventListener('abort', cancel, { once: true });
    const result = await core.jobDone(jobId);
    signal.removeEventListener('abort', cancel);
    const exported = await core.exportAvss(outDir, 'train', { videoIds: [video.videoId], signal });
    const p = result.provider;
    io.stdout(`Demo: pre-labelled ${video.fileName} (${result.frames.length} frames) in ${result.seconds.toFixed(1)} s on ${p.active}`
      + `${p.fallbackReason ? ' (CPU fallback, see the warning above)' : ''}\n`
      + `Demo: wrote ${exported.uids.length} AVSS clip(s) to ${outDir}\n`);
    if (values['no-ui']) return 0;
    const electron = electronBinary();
    if (electron) {
      io.stdout(`Demo: opening the desktop app on ${video.fileName}\n`);
      const child = spawn(electron, [join(appRoot(), 'dist', 'main', 'electron-main.cjs'), sample], { stdio: 'inherit' });
      await new Promise<void>((done) => child.on('exit', () => done()));
      return 0;
    }
    io.stdout('Demo: Electron\'s binary is not installed here, so the UI opens in browser mode.\n');
    ensureRenderer(io);
    const server = await serveCore(core, io, signal, { ...(port !== undefined ? { port } : {}), browser: !values['no-browser'] });
    await server.close();
    return 0;
  } finally {
    await core.dispose();
  }
}
