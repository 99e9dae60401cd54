/**
 * The one secure window (Electron security checklist): context isolation, sandbox, no Node in the renderer,
 * web security on, a strict CSP, no new windows, no navigation away from the app, no webviews, no permissions.
 * Set once here so no other file can weaken it.
 */
import { BrowserWindow, session, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MEDIA_SCHEME } from './bridge-channels';

export const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", `img-src 'self' ${MEDIA_SCHEME}: blob:`,
  `media-src 'self' ${MEDIA_SCHEME}: blob:`, `connect-src 'self' ${MEDIA_SCHEME}:`, "font-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** Applies to every web contents the app ever creates, including ones we did not expect. */
export function hardenAllContents(app: Electron.App): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // The app shows no remote content, so nothing may open a window (this also covers middle-click).
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The renderer's meta CSP says the same; the header also covers responses the meta tag cannot (frames).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function rendererIndex(rendererDir: string): string {
  return pathToFileURL(join(rendererDir, 'index.html')).href;
}

export function createMainWindow(preloadFile: string, rendererDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'AVS Annotator',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererIndex(rendererDir));
  return win;
}
