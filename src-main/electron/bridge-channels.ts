/**
 * The only two Electron IPC channel names. The typed RequestMap/EventMap channels travel inside them as data,
 * so main validates the inner channel like any other payload field (one wrapper, no per-channel ipcMain calls).
 */
export const INVOKE_CHANNEL = 'avs:invoke';
export const EVENT_CHANNEL = 'avs:event';
/** Custom protocol for media of opened videos (frames, masks, thumbnails, audio). */
export const MEDIA_SCHEME = 'avs-media';
export const MEDIA_HOST = 'media';
