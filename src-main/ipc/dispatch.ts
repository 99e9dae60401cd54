/**
 * The one request core shared by Electron (ipcMain.handle) and browser mode (POST /api/{channel}):
 * unknown channel -> bad-input, payload validated, handler called, any throw turned into an ApiError.
 * Neither bridge calls a service directly, so validation cannot be skipped by one of them.
 */
import type { RequestChannel, RequestMap, Result } from '../shared/ipc-contract';
import { toApiError } from '../pipeline/app-error';
import { isRequestChannel, validateRequest } from './validate';

export type Handlers = { [C in RequestChannel]: (req: RequestMap[C]['req']) => Promise<RequestMap[C]['res']> };

export type HandleRequest = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

export function createRequestHandler(handlers: Handlers, onInternalError: (message: string) => void = () => {}): HandleRequest {
  return async (channel, payload) => {
    if (!isRequestChannel(channel)) {
      return { ok: false, error: { code: 'bad-input', message: `unknown channel ${String(channel).slice(0, 64)}` } };
    }
    const checked = validateRequest(channel, payload);
    if (!checked.ok) return { ok: false, error: { code: 'bad-input', message: checked.message } };
    try {
      const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(checked.payload) };
    } catch (err) {
      const error = toApiError(err);
      if (error.code === 'internal') onInternalError(`${channel}: ${error.message}`);
      return { ok: false, error };
    }
  };
}
