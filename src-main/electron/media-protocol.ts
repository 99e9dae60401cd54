/**
 * avs-media://media/{mediaPath}: frames, thumbnails, masks and audio of opened videos. The app core resolves a
 * parsed mediaPath to a file it created itself, so the renderer can never name an arbitrary file on disk.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { MEDIA_HOST, MEDIA_SCHEME } from './bridge-channels';

/** Must run before `app.ready`. `stream` lets <audio> seek with range requests. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function handleMediaProtocol(mediaFile: (mediaPath: string) => Promise<string | null>): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== MEDIA_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    const file = await mediaFile(url.pathname.replace(/^\/+/, ''));
    if (!file) return new Response('not found', { status: 404 });
    // net.fetch on file:// handles Range and content types; pass the range header through.
    return net.fetch(pathToFileURL(file).href, { headers: request.headers });
  });
}
