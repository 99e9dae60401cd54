// Renderer build (plain Vite, no electron-vite: its dev command always launches Electron, which cannot run here).
// `base: './'` keeps asset URLs relative so the avs-app:// protocol and browser mode's dist/renderer both work.
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { cspMetaContent, withCspMeta } from './src-main/shared/csp';

/**
 * Writes THE policy (src-main/shared/csp.ts) into index.html's CSP meta tag. Built files get the Electron policy
 * (browser mode rewrites the tag with its port when it serves the page). Only under `vite serve`: inline SFC
 * styles and the dev server's own HMR WebSocket are allowed.
 */
function cspMeta(): Plugin {
  let devPort: number | null = null;
  return {
    name: 'avs-csp-meta',
    configureServer(server) {
      devPort = server.config.server.port ?? 5173;
    },
    transformIndexHtml: (html) => withCspMeta(html, devPort === null
      ? cspMetaContent('electron')
      : cspMetaContent('browser', { port: devPort, devInlineStyles: true })),
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [vue(), cspMeta()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The modulepreload polyfill is an inline script, which the CSP forbids; Chromium needs no polyfill.
    modulePreload: { polyfill: false },
    // data: URLs are outside the CSP's img-src; emit every asset as a file.
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
});
