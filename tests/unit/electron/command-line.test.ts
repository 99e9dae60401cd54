// Which video the desktop app opens from its command line, and the shape of the built Electron bundles
// (there is no Electron binary here, so the window itself cannot run in tests).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { videoFromArgv } from '../../../src-main/electron/command-line';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

describe('videoFromArgv', () => {
  it('finds the video in development and packaged argv shapes', () => {
    expect(videoFromArgv(['electron', 'dist/main/electron-main.cjs', 'clip.mp4'], 2)).toBe('clip.mp4');
    expect(videoFromArgv(['/opt/AVS Annotator/avs-annotator-app', '--no-sandbox', '/v/a b.mp4'], 1)).toBe('/v/a b.mp4');
    expect(videoFromArgv(['app', '--open', 'x.mkv', 'y.mp4'], 1)).toBe('x.mkv');
    expect(videoFromArgv(['app', '--open=z.webm'], 1)).toBe('z.webm');
    expect(videoFromArgv(['app', '--enable-logging'], 1)).toBeUndefined();
  });
});

describe('Electron bundles', () => {
  it('builds a sandbox-compatible preload that requires only electron', () => {
    const out = mkdtempSync(join(tmpdir(), 'avs-build-'));
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-main.mjs'), '--outdir', out], { cwd: repoRoot, stdio: 'pipe' });
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld');
    const main = readFileSync(join(out, 'electron-main.cjs'), 'utf8');
    for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true']) {
      expect(main).toContain(setting);
    }
    rmSync(out, { recursive: true, force: true });
  }, 30_000);
});
