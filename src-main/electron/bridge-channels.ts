/**
 * The only two Electron IPC channel names. The typed RequestMap/EventMap channels travel inside them as data,
 * so main validates the inner channel like any other payload field (one wrapper, no per-channel ipcMain calls).
 */
export const INVOKE_CHANNEL = 'avs:invoke';
export const EVENT_CHANNEL = 'avs:event';
/**
 * The app's own privileged scheme: the UI (dist/renderer) and the media of opened videos under /media/, one
 * origin like browser mode's server, so the CSP's 'self' covers both and masks can be fetched without CORS.
 * Replaces file://, so the GrantFileProtocolExtraPrivileges fuse can be off.
 */
export const APP_SCHEME = 'avs-app';
export const APP_HOST = 'ui';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;
export const MEDIA_PREFIX = '/media/';
