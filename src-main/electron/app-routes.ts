/**
 * What an avs-app:// request may read, as a pure function (no Electron import, unit-tested): a file of the
 * built renderer, confined to its folder by the same rule browser mode uses (server/files.ts resolveInside),
 * or a mediaPath that the app core maps to a file of an opened video. Anything else is refused.
 */
import { contentSecurityPolicy } from '../shared/csp';
import { resolveInside } from '../server/files';
import { APP_HOST, APP_SCHEME, MEDIA_PREFIX } from './bridge-channels';

export type AppRoute =
  | { kind: 'renderer'; file: string }
  | { kind: 'media'; mediaPath: string }
  | { kind: 'refused'; status: 403 | 404 | 405 };

export function routeAppRequest(rawUrl: string, method: string, rendererDir: string): AppRoute {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'refused', status: 404 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { kind: 'refused', status: 403 };
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'refused', status: 405 };
  if (url.pathname.startsWith(MEDIA_PREFIX)) {
    const mediaPath = url.pathname.slice(MEDIA_PREFIX.length);
    return mediaPath ? { kind: 'media', mediaPath } : { kind: 'refused', status: 404 };
  }
  const file = resolveInside(rendererDir, url.pathname);
  return file ? { kind: 'renderer', file } : { kind: 'refused', status: 404 };
}

/** Headers on every avs-app:// response: THE policy (src-main/shared/csp.ts) in its Electron form. */
export const APP_RESPONSE_HEADERS: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy('electron'),
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
};
