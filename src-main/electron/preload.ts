/**
 * Sandboxed preload: exposes exactly one object, `window.avs` (the AvsApi of the IPC contract, plus
 * `pathForFile` for drag and drop, since Electron 32+ has no File.path). Listeners never see the IpcRendererEvent
 * (it would leak `sender`), and every `on` returns its unsubscribe. Bundled to CJS: a sandboxed preload can
 * require only `electron`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { AvsApi, EventChannel, EventMap, RequestChannel, RequestMap, Result } from '../shared/ipc-contract';
import { APP_ORIGIN, EVENT_CHANNEL, INVOKE_CHANNEL, MEDIA_PREFIX } from './bridge-channels';

type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0];

const api: AvsApi & { pathForFile(file: DroppedFile): string } = {
  invoke<C extends RequestChannel>(channel: C, payload: RequestMap[C]['req']): Promise<Result<RequestMap[C]['res']>> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload) as Promise<Result<RequestMap[C]['res']>>;
  },
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === channel) listener(payload as EventMap[E]);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  mediaUrl(path: string): string {
    // Same origin as the page (avs-app://ui), like browser mode's /media/: no CORS, CSP 'self'.
    return `${APP_ORIGIN}${MEDIA_PREFIX}${path}`;
  },
  pathForFile(file: DroppedFile): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('avs', api);
