/**
 * Electron main: only wiring. The app core (same one browser mode uses) owns the services; this file creates the
 * secure window, the IPC bridge, the avs-app:// protocol (UI + media) and the native dialogs, opens a video
 * given on the command line (or handed to a second instance), and on quit waits for the core's flush.
 */
import { app, type BrowserWindow } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppCore, type AppCore } from '../ipc/app-core';
import { bundledModelPath, rendererDir } from '../pipeline/app-paths';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { APP_PAGE_URL } from './bridge-channels';
import { videoFromArgv } from './command-line';
import { electronDialogs } from './dialogs';
import { bridgeIpc } from './ipc-bridge';
import { quitAfterFlush } from './quit-flush';
import { utilityChannel } from './utility-channel';
import { createMainWindow, hardenAllContents } from './window';

const here = dirname(fileURLToPath(import.meta.url));
let win: BrowserWindow | null = null;
let core: AppCore | null = null;

registerAppScheme();
app.enableSandbox();

async function openFromArgv(argv: readonly string[], cwd: string): Promise<void> {
  const video = videoFromArgv(argv, app.isPackaged ? 1 : 2);
  if (!video || !core) return;
  try {
    await core.openVideo(resolve(cwd, video));
  } catch (err) {
    core.events.log('error', (err as Error).message);
  }
}

async function start(): Promise<void> {
  hardenAllContents(app);
  core = await createAppCore({
    mode: 'electron', dialogs: electronDialogs(() => win), modelPath: bundledModelPath(), dataDir: app.getPath('userData'),
    workerChannel: utilityChannel,
  });
  handleAppProtocol(rendererDir(), core.mediaFile);
  // Opened before the window loads, so the renderer's first video:list already shows it.
  await openFromArgv(process.argv, process.cwd());
  win = createMainWindow(join(here, 'preload.cjs'), app.isPackaged);
  const unbridge = bridgeIpc(win, APP_PAGE_URL, core.handleRequest, core.events);
  win.on('closed', () => {
    unbridge();
    win = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    void openFromArgv(argv, cwd);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', quitAfterFlush({
    flush: async () => core?.flush(),
    dispose: async () => core?.dispose(),
    quit: () => app.quit(),
    report: (message) => console.error(`avs-annotator: error: ${message}`),
  }));
  app.whenReady().then(start).catch((err: unknown) => {
    console.error(`avs-annotator: error: ${(err as Error).message}`);
    app.exit(1);
  });
}
