/**
 * THE Content Security Policy of the UI, defined once. Used by the Electron protocol handler (response header),
 * by the browser-mode server (header and the page's meta tag) and, at build time, by vite.config.mts, which
 * writes the meta tag of dist/renderer/index.html from `cspMetaContent('electron')`.
 * Both modes serve the page and the media of opened videos from one origin ('self': avs-app://ui in Electron,
 * http://127.0.0.1:PORT in browser mode), so the policies differ in one place only: browser mode's events
 * WebSocket on its own loopback port. Electron gets no WebSocket at all.
 * Pure TypeScript (src-main/shared): the renderer build and both main-side servers import it.
 */

export type CspMode = 'electron' | 'browser';

export interface CspOptions {
  /** Browser mode: the server's port, the only one the page may open a WebSocket to. */
  port?: number;
  /** `vite serve` only: SFC styles arrive as inline <style> tags there. Never in a built app. */
  devInlineStyles?: boolean;
}

type Directives = [name: string, sources: string[]][];

function directives(mode: CspMode, options: CspOptions): Directives {
  const connect = ["'self'"];
  if (mode === 'browser') {
    if (options.port === undefined) throw new Error('browser-mode CSP needs the server port');
    connect.push(`ws://127.0.0.1:${options.port}`, `ws://localhost:${options.port}`);
  }
  return [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', options.devInlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    // blob: = images/audio the renderer makes itself (edited masks); nothing remote, no data: URLs.
    ['img-src', ["'self'", 'blob:']],
    ['media-src', ["'self'", 'blob:']],
    ['connect-src', connect],
    ['font-src', ["'self'"]],
    ['worker-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-src', ["'none'"]],
    // Ignored in a meta tag (browsers warn), so it is sent only as a header: see cspMetaContent.
    ['frame-ancestors', ["'none'"]],
  ];
}

function join(list: Directives): string {
  return list.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** The policy as a response header. */
export function contentSecurityPolicy(mode: CspMode, options: CspOptions = {}): string {
  return join(directives(mode, options));
}

/** The same policy for `<meta http-equiv>`: everything a meta tag may carry (all but frame-ancestors). */
export function cspMetaContent(mode: CspMode, options: CspOptions = {}): string {
  return join(directives(mode, options).filter(([name]) => name !== 'frame-ancestors'));
}

const META_RE = /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/i;
export const CSP_META_PLACEHOLDER = '<meta http-equiv="Content-Security-Policy" content="%AVS_CSP%" />';

/**
 * Writes `content` into the page's CSP meta tag (src-renderer/index.html has exactly one, a placeholder in the
 * sources). Throws when the page has none, so a build can never ship a page without a policy.
 */
export function withCspMeta(html: string, content: string): string {
  if (!META_RE.test(html)) throw new Error('index.html has no Content-Security-Policy meta tag');
  return html.replace(META_RE, `<meta http-equiv="Content-Security-Policy" content="${content}" />`);
}

/** The content of the page's CSP meta tag, or null (tests compare it with cspMetaContent). */
export function cspMetaOf(html: string): string | null {
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  return match ? match[1]! : null;
}
