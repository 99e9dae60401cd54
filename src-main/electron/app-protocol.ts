/**
 * avs-app://ui/...: the UI and the media of opened videos (see app-routes.ts for what may be read). Every
 * response carries the one CSP (src-main/shared/csp.ts) and nosniff. Files are answered by rangeResponse
 * (server/range-response.ts: Range for <audio>/<video> seeking, which net.fetch on file:// ignores); Electron's
 * fs reads inside app.asar, so the UI's own files need nothing else. The renderer never gets file:// access.
 */
import { protocol } from 'electron';
import { rangeResponse } from '../server/range-response';
import { APP_RESPONSE_HEADERS, routeAppRequest } from './app-routes';
import { APP_SCHEME } from './bridge-channels';

/** Must run before `app.ready`, and only once (a second call replaces the first list). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string, mediaFile: (mediaPath: string) => Promise<string | null>): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const route = routeAppRequest(request.url, request.method, rendererDir);
    if (route.kind === 'refused') return new Response(null, { status: route.status, headers: APP_RESPONSE_HEADERS });
    const file = route.kind === 'renderer' ? route.file : await mediaFile(route.mediaPath);
    if (!file) return new Response(null, { status: 404, headers: APP_RESPONSE_HEADERS });
    const res = await rangeResponse(file, request.headers.get('range'), request.method);
    const headers = new Headers(res.headers);
    for (const [name, value] of Object.entries(APP_RESPONSE_HEADERS)) headers.set(name, value);
    if (route.kind === 'media') headers.set('cache-control', 'no-cache');
    return new Response(res.body, { status: res.status, headers });
  });
}
