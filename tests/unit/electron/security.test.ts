// The Electron security checklist items that can be checked without the Electron binary (none runs here): the
// window options, THE CSP in its three places (built index.html, Electron header, browser-mode header + page),
// the avs-app:// request routing, the navigation/window/permission handlers and the quit-time flush.
// WebContents and Session are replaced by recording stand-ins (the Electron boundary); the handlers under test
// are the exact functions main installs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { APP_RESPONSE_HEADERS, routeAppRequest } from '../../../src-main/electron/app-routes';
import { APP_PAGE_URL } from '../../../src-main/electron/bridge-channels';
import { quitAfterFlush } from '../../../src-main/electron/quit-flush';
import {
  applySessionPolicy, DENIED_NAVIGATION_EVENTS, hardenContents, trustedSender, type ContentsLike, type SessionLike,
} from '../../../src-main/electron/web-policy';
import { mainWindowOptions } from '../../../src-main/electron/window-options';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { contentSecurityPolicy, cspMetaContent, cspMetaOf } from '../../../src-main/shared/csp';
import { makeTempDir } from '../app-support/test-media';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('window options', () => {
  it('isolates and sandboxes the renderer, with DevTools only in development', () => {
    for (const packaged of [true, false]) {
      const prefs = mainWindowOptions('/app/preload.cjs', packaged).webPreferences!;
      expect(prefs).toMatchObject({
        preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false,
        nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true,
        allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false,
      });
      expect(prefs.devTools).toBe(!packaged);
      expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    }
  });
});

describe('one CSP in three places', () => {
  let renderer: string;
  let core: AppCore;
  let server: RunningServer;

  beforeAll(async () => {
    renderer = join(tmp.dir, 'renderer');
    // The real renderer build (vite, ~2 s) so the meta tag written by vite.config.mts is what is checked.
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', renderer, '--emptyOutDir'], { cwd: repoRoot, stdio: 'pipe' });
    core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(join(tmp.dir, 'out')), workParent: tmp.dir });
    server = await startServer({ rendererDir: renderer, handleRequest: core.handleRequest, events: core.events, mediaFile: core.mediaFile });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });

  it('the built index.html carries the Electron policy, the avs-app:// responses the same as a header', () => {
    const built = readFileSync(join(renderer, 'index.html'), 'utf8');
    expect(cspMetaOf(built)).toBe(cspMetaContent('electron'));
    expect(APP_RESPONSE_HEADERS['content-security-policy']).toBe(contentSecurityPolicy('electron'));
    // The meta form is the header minus frame-ancestors (which a meta tag cannot carry).
    expect(`${cspMetaContent('electron')}; frame-ancestors 'none'`).toBe(contentSecurityPolicy('electron'));
    // The source keeps only a placeholder: there is no second copy of the policy to drift.
    expect(cspMetaOf(readFileSync(join(repoRoot, 'src-renderer', 'index.html'), 'utf8'))).toBe('%AVS_CSP%');
  });

  it('browser mode sends its own policy as header and meta tag; only it allows a WebSocket, to its own port', async () => {
    const res = await fetch(server.url);
    const header = res.headers.get('content-security-policy');
    expect(header).toBe(contentSecurityPolicy('browser', { port: server.port }));
    expect(cspMetaOf(await res.text())).toBe(cspMetaContent('browser', { port: server.port }));
    expect(header).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port};`);
    expect(contentSecurityPolicy('electron')).not.toMatch(/ws:|\*/);
  });

  it('is strict: no inline or eval, no remote sources, no plugins, no framing', () => {
    for (const policy of [contentSecurityPolicy('electron'), contentSecurityPolicy('browser', { port: 5 })]) {
      expect(policy).not.toMatch(/unsafe-|https?:|data:|\*/);
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
    }
    expect(() => contentSecurityPolicy('browser')).toThrow(/port/);
  });
});

describe('avs-app:// routing', () => {
  const root = join(tmp.dir, 'ui');
  beforeAll(() => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
  });

  it('serves renderer files inside dist/renderer and media by mediaPath', () => {
    expect(routeAppRequest(APP_PAGE_URL, 'GET', root)).toEqual({ kind: 'renderer', file: join(root, 'index.html') });
    expect(routeAppRequest('avs-app://ui/assets/a.js', 'GET', root)).toEqual({ kind: 'renderer', file: join(root, 'assets', 'a.js') });
    expect(routeAppRequest('avs-app://ui/media/v1/frame/3', 'GET', root)).toEqual({ kind: 'media', mediaPath: 'v1/frame/3' });
  });

  it('refuses traversal, other hosts and schemes, and anything but GET/HEAD', () => {
    // The URL parser resolves `..` and `%2e%2e` segments inside the origin; what is left stays inside the folder.
    for (const url of ['avs-app://ui/../../etc/passwd', 'avs-app://ui/%2e%2e/%2e%2e/etc/passwd']) {
      expect(routeAppRequest(url, 'GET', root)).toEqual({ kind: 'renderer', file: join(root, 'etc', 'passwd') });
    }
    // Encoded separators, NUL and backslashes survive the parser and are refused.
    for (const url of ['avs-app://ui/assets/..%2f..%2f..%2fsecret', 'avs-app://ui/a%00b', 'avs-app://ui/%5c..%5c..%5csecret']) {
      expect(routeAppRequest(url, 'GET', root)).toEqual({ kind: 'refused', status: 404 });
    }
    expect(routeAppRequest('avs-app://evil/index.html', 'GET', root)).toEqual({ kind: 'refused', status: 403 });
    expect(routeAppRequest('file:///etc/passwd', 'GET', root)).toEqual({ kind: 'refused', status: 403 });
    expect(routeAppRequest('avs-app://ui/media/', 'GET', root)).toEqual({ kind: 'refused', status: 404 });
    expect(routeAppRequest(APP_PAGE_URL, 'POST', root)).toEqual({ kind: 'refused', status: 405 });
  });
});

describe('navigation, new windows and permissions', () => {
  it('every web contents denies window.open and every navigation event', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: (() => unknown) | undefined;
    const contents = {
      setWindowOpenHandler: (h: () => unknown) => { openHandler = h; },
      on: (name: string, listener: (event: { preventDefault(): void }) => void) => listeners.set(name, listener),
    } as unknown as ContentsLike;
    hardenContents(contents);
    expect(openHandler?.()).toEqual({ action: 'deny' });
    expect([...listeners.keys()].sort()).toEqual([...DENIED_NAVIGATION_EVENTS].sort());
    expect(DENIED_NAVIGATION_EVENTS).toContain('will-frame-navigate');
    for (const listener of listeners.values()) {
      const event = { preventDefault: vi.fn() };
      listener(event);
      expect(event.preventDefault).toHaveBeenCalledOnce();
    }
  });

  it('the session refuses permission requests and checks, devices and screen capture', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const record = (name: string) => (h: (...args: never[]) => unknown) => { handlers[name] = h; };
    const session = {
      setPermissionRequestHandler: record('request'), setPermissionCheckHandler: record('check'),
      setDevicePermissionHandler: record('device'), setDisplayMediaRequestHandler: record('display'),
    } as unknown as SessionLike;
    applySessionPolicy(session);
    const call = (name: string, ...args: unknown[]) => (handlers[name] as (...a: unknown[]) => unknown)(...args);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const granted = vi.fn();
      call('request', {}, permission, granted);
      expect(granted).toHaveBeenCalledWith(false);
      expect(call('check', null, permission, 'avs-app://ui', {})).toBe(false);
    }
    expect(call('device', { deviceType: 'usb', origin: 'avs-app://ui' })).toBe(false);
    const streams = vi.fn();
    call('display', { frame: null }, streams);
    expect(streams).toHaveBeenCalledWith({});
  });
});

describe('IPC sender check', () => {
  it('serves only our window\'s main frame on the app page', () => {
    const mainFrame = { url: APP_PAGE_URL };
    const webContents = { mainFrame };
    const win = { isDestroyed: () => false, webContents };
    expect(trustedSender({ sender: webContents, senderFrame: mainFrame }, win, APP_PAGE_URL)).toBe(true);
    expect(trustedSender({ sender: webContents, senderFrame: { url: `${APP_PAGE_URL}?x#y` } }, win, APP_PAGE_URL)).toBe(false); // an iframe
    const navigated = { url: 'https://evil.example/' };
    expect(trustedSender({ sender: webContents, senderFrame: navigated }, { ...win, webContents: { mainFrame: navigated } }, APP_PAGE_URL)).toBe(false);
    expect(trustedSender({ sender: {}, senderFrame: mainFrame }, win, APP_PAGE_URL)).toBe(false); // another window
    expect(trustedSender({ sender: webContents, senderFrame: null }, win, APP_PAGE_URL)).toBe(false);
    expect(trustedSender({ sender: webContents, senderFrame: mainFrame }, { ...win, isDestroyed: () => true }, APP_PAGE_URL)).toBe(false);
  });
});

describe('quit waits for the flush', () => {
  function steps(flush: () => Promise<void>) {
    const order: string[] = [];
    return {
      order,
      steps: {
        flush: async () => { order.push('flush-start'); await flush(); order.push('flush-end'); },
        dispose: async () => { order.push('dispose'); },
        quit: () => order.push('quit'),
        report: (m: string) => order.push(`report: ${m}`),
      },
    };
  }

  it('cancels the first quit, flushes, disposes, then quits once', async () => {
    let release!: () => void;
    const s = steps(() => new Promise<void>((r) => { release = r; }));
    const onBeforeQuit = quitAfterFlush(s.steps);
    const first = { preventDefault: vi.fn() };
    onBeforeQuit(first);
    expect(first.preventDefault).toHaveBeenCalled();
    const again = { preventDefault: vi.fn() };
    onBeforeQuit(again); // a second Cmd+Q while saving: still held, no second flush
    expect(again.preventDefault).toHaveBeenCalled();
    await Promise.resolve();
    expect(s.order).toEqual(['flush-start']);
    release();
    await vi.waitFor(() => expect(s.order).toEqual(['flush-start', 'flush-end', 'dispose', 'quit']));
    const last = { preventDefault: vi.fn() };
    onBeforeQuit(last); // the quit it issued itself goes through
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('a failing or hanging flush is reported and the app still quits', async () => {
    const failing = steps(() => Promise.reject(new Error('disk full')));
    quitAfterFlush(failing.steps)({ preventDefault: () => {} });
    await vi.waitFor(() => expect(failing.order).toContain('quit'));
    expect(failing.order.join('|')).toMatch(/report: could not save everything before quitting: disk full\|dispose\|quit/);
    const hanging = steps(() => new Promise<void>(() => {}));
    quitAfterFlush(hanging.steps, 50)({ preventDefault: () => {} });
    await vi.waitFor(() => expect(hanging.order).toContain('quit'));
    expect(hanging.order.join('|')).toContain('did not finish within 0.05 s');
  });
});
