// Renderer build (plain Vite, no electron-vite: its dev command always launches Electron, which cannot run here).
// `base: './'` keeps asset URLs relative so Electron's loadFile() and browser mode's dist/renderer both work.
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';

/**
 * The dev server injects SFC styles as <style> tags, which the production CSP (style-src 'self') blocks.
 * Relax only that, and only under `vite serve`; built files keep the strict policy from index.html.
 */
function devCsp(): Plugin {
  return {
    name: 'avs-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [vue(), devCsp()],
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
