/**
 * The only file that touches ipcMain. Every invoke is checked to come from our own window's main frame showing
 * the app's page (not an iframe, not a page navigated elsewhere), then goes through the shared request core,
 * which validates the payload. Events from the bus are forwarded to the window. Typed arrays (rasters, pixel
 * patches) cross as typed arrays: structured clone carries them, so binary channels need nothing special here.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import type { HandleRequest } from '../ipc/dispatch';
import type { EventBus } from '../ipc/event-bus';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './bridge-channels';
import { trustedSender } from './web-policy';

/** Returns a function that removes the handlers (window closed). */
export function bridgeIpc(win: BrowserWindow, pageUrl: string, handleRequest: HandleRequest, events: EventBus): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, payload: unknown) => {
    if (!trustedSender(event, win, pageUrl)) {
      return { ok: false, error: { code: 'bad-input', message: 'request from an untrusted frame' } };
    }
    return handleRequest(channel, payload);
  });
  const unsubscribe = events.subscribe((channel, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, channel, payload);
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    unsubscribe();
  };
}
