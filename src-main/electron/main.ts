/**
 * Electron main: only wiring. The app core (same one browser mode uses) owns the services; this file creates the
 * secure window, the IPC bridge, the media protocol and the native dialogs, and opens a video given on the
 * command line (or handed to a second instance).
 */
import { app, type BrowserWindow } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppCore, type AppCore } from '../ipc/app-core';
import { bundledModelPath, rendererDir } from '../pipeline/app-paths';
import { videoFromArgv } from './command-line';
import { electronDialogs } from './dialogs';
import { bridgeIpc } from './ipc-bridge';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { createMainWindow, hardenAllContents, rendererIndex } from './window';

const here = dirname(fileURLToPath(import.meta.url));
let win: BrowserWindow | null = null;
let core: AppCore | null = null;

registerMediaScheme();
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
  });
  handleMediaProtocol(core.mediaFile);
  // Opened before the window loads, so the renderer's first video:list already shows it.
  await openFromArgv(process.argv, process.cwd());
  win = createMainWindow(join(here, 'preload.cjs'), rendererDir());
  const unbridge = bridgeIpc(win, rendererIndex(rendererDir()), core.handleRequest, core.events);
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
  app.on('will-quit', () => {
    void core?.dispose();
  });
  app.whenReady().then(start).catch((err: unknown) => {
    console.error(`avs-annotator: error: ${(err as Error).message}`);
    app.exit(1);
  });
}
