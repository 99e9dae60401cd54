/**
 * Browser-mode access control. The server listens on 127.0.0.1 only, but any web page the user visits can still
 * send requests to loopback (CSRF) or reach it through a rebinding DNS name, so every request must carry the
 * random per-run token and a loopback Host header. The token travels as the `x-avs-token` header (API), the
 * `token` query parameter (page, media, WebSocket) or a SameSite=Strict cookie set with the page (the page's
 * own scripts and styles, which the browser requests without the query).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when the Host header names a loopback address on our port (defeats DNS rebinding). */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match) return false;
  return LOOPBACK_HOSTS.has(match[1]!) && Number(match[2] ?? 80) === port;
}

/** Cookies are not isolated by port, so the name carries it: two servers must not overwrite each other's. */
export function cookieName(port: number): string {
  return `avs-token-${port}`;
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export type TokenSource = 'header' | 'query' | 'cookie';

/** Which credential (if any) matched; the API accepts the header only, so a cookie alone cannot drive it. */
export function tokenSource(req: IncomingMessage, url: URL, token: string, port: number): TokenSource | null {
  const header = req.headers['x-avs-token'];
  if (sameToken(Array.isArray(header) ? header[0] : header, token)) return 'header';
  if (sameToken(url.searchParams.get('token'), token)) return 'query';
  if (sameToken(cookieValue(req.headers.cookie, cookieName(port)), token)) return 'cookie';
  return null;
}

export function tokenCookie(token: string, port: number): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export const COMMON_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  // The page URL carries the token: never send it to another origin as a Referer.
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};
