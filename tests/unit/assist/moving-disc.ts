/**
 * A generated test video for click-to-mask and propagation: a coloured disc moving right at SPEED px/s over a
 * textured grey background (16 fps, so each sampled instant k + 15/16 s is exactly a frame). The disc's ground
 * truth at any time is known in closed form.
 */
import path from 'node:path';
import { ffmpeg } from '../helpers/media-fixtures';

export const DISC = { width: 320, height: 240, x0: 70, y: 120, r: 42, speed: 24, seconds: 5 } as const;

export function discCentre(timeSec: number): { x: number; y: number } {
  return { x: DISC.x0 + DISC.speed * timeSec, y: DISC.y };
}

/** 0/1 ground truth of the disc at `timeSec` (pixel centres). */
export function discMask(timeSec: number): Uint8Array {
  const { x, y } = discCentre(timeSec);
  const out = new Uint8Array(DISC.width * DISC.height);
  for (let py = 0; py < DISC.height; py++) {
    for (let px = 0; px < DISC.width; px++) out[py * DISC.width + px] = Math.hypot(px + 0.5 - x, py + 0.5 - y) < DISC.r ? 1 : 0;
  }
  return out;
}

export async function makeDiscVideo(dir: string): Promise<string> {
  const file = path.join(dir, 'disc.mp4');
  const inside = `lt(hypot(X+0.5-(${DISC.x0}+${DISC.speed}*T),Y+0.5-${DISC.y}),${DISC.r})`;
  const geq = `geq=lum='if(${inside},150,110+25*sin(X/5)*cos(Y/7))':cb='if(${inside},60,128)':cr='if(${inside},200,128)'`;
  await ffmpeg([
    '-f', 'lavfi', '-i', `nullsrc=size=${DISC.width}x${DISC.height}:rate=16:duration=${DISC.seconds},format=yuv444p,${geq}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${DISC.seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file,
  ]);
  return file;
}
