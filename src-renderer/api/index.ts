/**
 * Which bridge the renderer talks to: the Electron preload's `window.avs` when present, else the browser-mode
 * HTTP/WebSocket client built from the page URL (`?token=...`). Stores reach main only through `useApi()`.
 */
import type { AvsApi } from '../../src-main/shared/ipc-contract';
import { createHttpApi } from './http-client';

/**
 * Optional extra the Electron preload may expose: Electron 32+ removed `File.path`, so a dropped file's path
 * needs `webUtils.getPathForFile` in the preload. Not in the contract yet (proposed); absent in browser mode.
 */
export interface FilePathBridge {
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    avs?: AvsApi & FilePathBridge;
  }
}

const TOKEN_KEY = 'avs-token';
let current: (AvsApi & FilePathBridge) | undefined;

/** Builds the browser-mode client from a page location; the token is kept per tab so a reload still works. */
export function apiFromLocation(href: string, storage?: Storage): AvsApi {
  const url = new URL(href);
  const token = url.searchParams.get('token') ?? storage?.getItem(TOKEN_KEY) ?? '';
  if (token) storage?.setItem(TOKEN_KEY, token);
  return createHttpApi({ origin: url.origin, token });
}

/** Replaces the bridge (tests, or a host that wires its own). */
export function installApi(api: AvsApi & FilePathBridge): void {
  current = api;
}

export function useApi(): AvsApi & FilePathBridge {
  current ??= window.avs ?? apiFromLocation(window.location.href, window.sessionStorage);
  return current;
}

/** True when running inside Electron (the preload bridge exists); decides dialog vs. path field. */
export function isElectron(): boolean {
  return typeof window !== 'undefined' && window.avs !== undefined;
}
