/**
 * avs-media://media/{mediaPath}: frames, thumbnails, masks, audio and the file itself (for <video>) of opened videos. The app core resolves a
 * parsed mediaPath to a file it created itself, so the renderer can never name an arbitrary file on disk.
 */
import { protocol } from 'electron';
import { rangeResponse } from '../server/range-response';
import { MEDIA_HOST, MEDIA_SCHEME } from './bridge-channels';

/** Must run before `app.ready`. `stream` lets <audio>/<video> seek with range requests. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function handleMediaProtocol(mediaFile: (mediaPath: string) => Promise<string | null>): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== MEDIA_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('not found', { status: 404 });
    const file = await mediaFile(url.pathname.replace(/^\/+/, ''));
    if (!file) return new Response('not found', { status: 404 });
    // Answered here, not by net.fetch(file://), which ignores Range (a <video> could not seek).
    return rangeResponse(file, request.headers.get('range'), request.method);
  });
}
