/**
 * The one secure window: options from window-options.ts, every web contents hardened by web-policy.ts, the
 * session's permission handlers, and the UI loaded from avs-app:// (never file://). Set once here so no other
 * file can weaken it.
 */
import { BrowserWindow, session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';
import { APP_PAGE_URL } from './bridge-channels';
import { applySessionPolicy, hardenContents } from './web-policy';
import { mainWindowOptions } from './window-options';

/** Applies to every web contents the app ever creates, including ones we did not expect. */
export function hardenAllContents(app: Electron.App): void {
  app.on('web-contents-created', (_event, contents: WebContents) => hardenContents(contents));
  applySessionPolicy(session.defaultSession);
  // The avs-app:// handler sets the CSP on its own responses; this covers any other response a page could get.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy('electron')] } });
  });
}

export function createMainWindow(preloadFile: string, packaged: boolean): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadFile, packaged));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_PAGE_URL);
  return win;
}
