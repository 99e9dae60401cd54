/**
 * The video the e2e test opens: the bundled sample when it exists, else a short clip generated with ffmpeg's
 * lavfi sources (moving test pattern + a tone), so the test never depends on a committed binary.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../src-main/media';

const run = promisify(execFile);

export async function sampleVideo(root: string, workDir: string): Promise<string> {
  const bundled = join(root, 'assets', 'sample.mp4');
  if (existsSync(bundled)) return bundled;
  const out = join(workDir, 'e2e-sample.mp4');
  await run(resolveFfmpeg().ffmpeg, [
    '-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=4',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=4',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', out,
  ]);
  return out;
}
