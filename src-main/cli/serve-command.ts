/**
 * `avs-annotator serve`: browser mode. The app core behind the loopback HTTP/WebSocket server; the page URL
 * carries the per-run token. Also used by `demo` and `npm start` where no Electron binary exists.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAppCore, type AppCore, type Dialogs } from '../ipc/app-core';
import { AppError } from '../pipeline/app-error';
import { appRoot, bundledModelPath, rendererDir } from '../pipeline/app-paths';
import { startServer, type RunningServer } from '../server/http-server';
import { parse, portOption, UsageError, type CliIo, PROG } from './cli-io';

export const SERVE_HELP = `Usage: ${PROG} serve [--project DIR] [--port N] [--open VIDEO] [--model FILE.onnx] [--out DIR] [--no-browser]

Runs the annotator UI in your browser: a server on 127.0.0.1 only, with a random token in the page URL.
  --project DIR   open this project (created if missing); edits are saved to it as you make them
  --port N        port to listen on (default: any free port)
  --open VIDEO    open this video at start (into the project; an untitled one when no --project)
  --model FILE    ONNX model (default: the bundled CCFormer)
  --out DIR       folder AVSS exports go to (default: ./avs-dataset)
  --no-browser    print the URL without opening a browser
`;

/** Browser mode has no native pickers: paths are typed in the UI; exports go to one folder. */
export function browserDialogs(outDir: string): Dialogs {
  const typed = (what: string) => async (): Promise<string> => {
    throw new AppError('unsupported', `browser mode has no file dialog: give the ${what} path`);
  };
  return { pickVideo: typed('video'), pickModel: typed('model'), pickOutDir: async () => outDir };
}

/** Builds the renderer when it is missing in a source checkout (vite is a dev dependency). */
export function ensureRenderer(io: CliIo): void {
  if (existsSync(join(rendererDir(), 'index.html'))) return;
  const vite = join(appRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    io.stderr(`${PROG}: the UI is not built and vite is not installed; the page will say so\n`);
    return;
  }
  io.stderr(`${PROG}: building the UI once (vite build)...\n`);
  spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: appRoot(), stdio: ['ignore', 'ignore', 'inherit'] });
}

export function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser launcher: the URL is printed anyway.
  }
}

/** Serves `core` until `signal` fires. */
export async function serveCore(core: AppCore, io: CliIo, signal: AbortSignal, opts: { port?: number; browser: boolean }): Promise<RunningServer> {
  const server = await startServer({
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    rendererDir: rendererDir(), handleRequest: core.handleRequest, events: core.events, mediaFile: core.mediaFile,
  });
  io.stdout(`AVS Annotator (browser mode) at ${server.url}\n`);
  io.stderr(`${PROG}: serving on 127.0.0.1 only; press Ctrl+C to stop\n`);
  core.events.subscribe((channel, payload) => {
    if (channel === 'log') {
      const log = payload as { level: string; message: string };
      io.stderr(`${PROG}: ${log.level}: ${log.message}\n`);
    }
  });
  if (opts.browser) openInBrowser(server.url);
  await new Promise<void>((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
  return server;
}

export async function runServe(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('serve', argv, {
    port: { type: 'string' }, open: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' },
    project: { type: 'string' }, 'no-browser': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`serve: unexpected argument "${positionals[0]}" (use --open VIDEO)`);
  const port = portOption(values.port);
  const modelPath = values.model ? resolve(values.model) : bundledModelPath();
  const core = await createAppCore({
    mode: 'browser', dialogs: browserDialogs(resolve(values.out ?? 'avs-dataset')), modelPath, modelRequired: values.model !== undefined,
  });
  let server: RunningServer | undefined;
  try {
    if (values.project) {
      const state = await core.openProject(resolve(values.project), { create: true });
      io.stderr(`${PROG}: project ${state.dir}${state.readOnly ? ` (read-only: ${state.readOnly.reason})` : ''}\n`);
      for (const notice of state.recovered) io.stderr(`${PROG}: recovered ${notice.file}: ${notice.problem}; ${notice.action}\n`);
    }
    if (values.open) await core.openVideo(resolve(values.open));
    ensureRenderer(io);
    server = await serveCore(core, io, signal, { ...(port !== undefined ? { port } : {}), browser: !values['no-browser'] });
    return 0;
  } finally {
    await server?.close();
    await core.dispose();
  }
}
