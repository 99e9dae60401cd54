/**
 * Finds ffmpeg and ffprobe. Order: env AVS_FFMPEG / AVS_FFPROBE (user override), the static binaries shipped in
 * @ffmpeg-installer / @ffprobe-installer (so a fresh install works without a system ffmpeg; the ffmpeg one is a
 * 2018 build, fine for h264/hevc/vp9/aac), then the system PATH. Each binary is resolved on its own and we say
 * which one runs and its version, because decoding differences between builds are the first thing to ask about.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type BinarySource = 'env' | 'bundled' | 'system';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
  /** First line of `-version`, e.g. "ffmpeg version 5.1.9-0+deb12u1"; "unknown" if it would not run. */
  version: string;
}

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** Where ffmpeg came from (ffprobe may differ: see `details`). */
  source: BinarySource;
  details: { ffmpeg: ResolvedBinary; ffprobe: ResolvedBinary };
  /** One line for logs and the UI, e.g. "ffmpeg 5.1.9 (system: /usr/bin/ffmpeg)". */
  summary: string;
}

export class FfmpegNotFoundError extends Error {
  constructor(tool: string) {
    super(`${tool} not found: set AVS_${tool.toUpperCase()}, reinstall npm packages, or install ffmpeg on the PATH`);
    this.name = 'FfmpegNotFoundError';
  }
}

function isExecutableFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Directory of this module in ESM (vitest, tsx) and in the esbuild CJS bundle (where __dirname exists). */
function moduleDir(): string {
  if (typeof __dirname !== 'undefined') return __dirname;
  return path.dirname(fileURLToPath(import.meta.url));
}

/**
 * The installer package for this platform, e.g. @ffmpeg-installer/linux-x64/ffmpeg. Inside a packaged app the
 * resolved path points into app.asar, which child_process cannot execute: use the app.asar.unpacked copy.
 */
export function bundledPath(tool: 'ffmpeg' | 'ffprobe'): string | undefined {
  const pkg = `@${tool}-installer/${process.platform}-${process.arch}/package.json`;
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  const bases = [moduleDir(), process.cwd()];
  for (const base of bases) {
    try {
      const resolved = createRequire(path.join(base, 'noop.js')).resolve(pkg);
      const candidate = path.join(path.dirname(resolved), exe).replace(
        `app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
      if (isExecutableFile(candidate)) return candidate;
    } catch {
      // not installed (optional dependency for another platform): try the next base, then the PATH
    }
  }
  return undefined;
}

function onPath(tool: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, tool + ext);
      if (existsSync(candidate) && isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function versionOf(file: string): string {
  const out = spawnSync(file, ['-version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
  const first = out.stdout?.split('\n')[0]?.trim();
  return out.status === 0 && first ? first : 'unknown';
}

/** Resolves one tool; throws FfmpegNotFoundError when none of the three places has it. */
export function resolveBinary(tool: 'ffmpeg' | 'ffprobe'): ResolvedBinary {
  const fromEnv = process.env[`AVS_${tool.toUpperCase()}`];
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) throw new Error(`AVS_${tool.toUpperCase()}=${fromEnv}: no such file`);
    return { path: fromEnv, source: 'env', version: versionOf(fromEnv) };
  }
  const bundled = bundledPath(tool);
  if (bundled) {
    staticBuilds.add(bundled);
    return { path: bundled, source: 'bundled', version: versionOf(bundled) };
  }
  const system = onPath(tool);
  if (system) return { path: system, source: 'system', version: versionOf(system) };
  throw new FfmpegNotFoundError(tool);
}

let cached: FfmpegBinaries | undefined;
const staticBuilds = new Set<string>();

/**
 * Environment for spawning `bin`. The bundled Linux builds are static glibc binaries: when a demuxer calls iconv
 * (MPEG-TS service names) glibc dlopen()s the system's gconv modules into the static process and it segfaults
 * (seen: bundled ffprobe crashes on every .ts file). Pointing GCONV_PATH nowhere makes iconv fail cleanly instead.
 */
export function spawnEnvFor(bin: string): NodeJS.ProcessEnv | undefined {
  if (process.platform !== 'linux' || !staticBuilds.has(bin)) return undefined;
  return { ...process.env, GCONV_PATH: '/nonexistent-avs-gconv' };
}

/** Resolves both tools once per process (runs `-version` twice, ~100 ms); `refresh` re-reads the environment. */
export function resolveFfmpeg(refresh = false): FfmpegBinaries {
  if (cached && !refresh) return cached;
  const ffmpeg = resolveBinary('ffmpeg');
  const ffprobe = resolveBinary('ffprobe');
  const short = ffmpeg.version.replace(/^ffmpeg version\s+/, '').split(/\s/)[0] ?? 'unknown';
  cached = {
    ffmpeg: ffmpeg.path,
    ffprobe: ffprobe.path,
    source: ffmpeg.source,
    details: { ffmpeg, ffprobe },
    summary: `ffmpeg ${short} (${ffmpeg.source}: ${ffmpeg.path})`,
  };
  return cached;
}
