/**
 * What any web contents and the session may do: nothing beyond showing our own page. Written against small
 * structural types instead of Electron's classes (type-only import), so the exact handlers the app installs are
 * unit-tested with recording stand-ins of WebContents and Session (no Electron binary can run here).
 */
import type { Event as ElectronEvent, Session, WebContents } from 'electron';

/** The WebContents methods we use. */
export interface ContentsLike {
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: ElectronEvent) => void): unknown;
}

/** The Session methods we use. */
export type SessionLike = Pick<Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler'>;

/** Navigation events that are all denied: the app never leaves its page, in any frame, nor attaches webviews. */
export const DENIED_NAVIGATION_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'] as const;

const preventDefault = (event: ElectronEvent): void => event.preventDefault();

/** The app shows no remote content, so nothing may open a window (this also covers middle-click). */
export const denyWindowOpen = (): { action: 'deny' } => ({ action: 'deny' });

export function hardenContents(contents: ContentsLike): void {
  contents.setWindowOpenHandler(denyWindowOpen);
  for (const name of DENIED_NAVIGATION_EVENTS) contents.on(name, preventDefault);
}

/**
 * Every permission (camera, microphone, notifications, geolocation, clipboard read, HID/USB/serial devices,
 * screen capture, ...) is refused: the annotator needs none of them.
 */
export const denyPermissionRequest = (_wc: unknown, _permission: string, callback: (granted: boolean) => void): void => callback(false);
export const denyPermissionCheck = (): boolean => false;
export const denyDevicePermission = (): boolean => false;
/** Calling back with neither video nor audio rejects getDisplayMedia(). */
export const denyDisplayMedia = (_request: unknown, callback: (streams: Record<string, never>) => void): void => callback({});

export function applySessionPolicy(session: SessionLike): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyDevicePermission);
  session.setDisplayMediaRequestHandler(denyDisplayMedia);
}

/** The parts of an IPC event and of our window that decide whether a request may be served. */
export interface SenderLike {
  sender: unknown;
  senderFrame: { url: string } | null;
}
export interface WindowLike {
  isDestroyed(): boolean;
  webContents: { mainFrame: unknown };
}

/**
 * A request is served only from our window's main frame showing the app's page (not an iframe, not a page that
 * navigated elsewhere, not another window): Electron checklist item "validate the sender of all IPC messages".
 */
export function trustedSender(event: SenderLike, win: WindowLike, pageUrl: string): boolean {
  const frame = event.senderFrame;
  return !win.isDestroyed()
    && event.sender === win.webContents
    && frame !== null && frame === win.webContents.mainFrame
    && frame.url.split(/[?#]/)[0] === pageUrl;
}
