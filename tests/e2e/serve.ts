/**
 * Starts the real browser-mode server as a user would (`avs-annotator serve`) and waits for the line it prints:
 * `AVS Annotator (browser mode) at http://127.0.0.1:PORT/?token=...` (a colon instead of "at" is accepted too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServeHandle {
  url: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const URL_LINE = /AVS Annotator \(browser mode\)(?::| at) (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;

export async function startServe(root: string, extraArgs: string[] = [], timeoutMs = 30_000): Promise<ServeHandle> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'bin', 'avs-annotator.mjs'), 'serve', '--port', '0', '--no-browser', ...extraArgs],
    // AVS_DATA_DIR: untitled projects and the recent list go to a temp folder, not the user's settings.
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BROWSER: 'none', AVS_DATA_DIR: mkdtempSync(join(tmpdir(), 'avs-e2e-data-')) } },
  );
  let text = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT'); // graceful: the server closes its sockets and the inference worker
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = URL_LINE.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL:\n${text}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url, output: () => text, stop };
}
