/** Short test videos generated offline with ffmpeg's lavfi sources (testsrc2 + sine), in a temp folder. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../../src-main/media/ffmpeg-binaries';

export interface VideoSpec {
  seconds: number;
  width?: number;
  height?: number;
  fps?: number;
  audio?: boolean;
}

export function makeTempDir(prefix = 'avs-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeVideo(file: string, spec: VideoSpec): string {
  const { ffmpeg } = resolveFfmpeg();
  const w = spec.width ?? 160;
  const h = spec.height ?? 120;
  const args = ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=${spec.fps ?? 10}:duration=${spec.seconds}`];
  if (spec.audio !== false) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${spec.seconds}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (spec.audio !== false) args.push('-c:a', 'aac', '-shortest');
  args.push(file);
  execFileSync(ffmpeg, args, { stdio: 'pipe' });
  return file;
}
