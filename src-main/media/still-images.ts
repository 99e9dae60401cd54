/**
 * convertStills: re-encodes a few still images (e.g. a clip's frame JPEGs) to PNG or JPEG at a given size in ONE
 * ffmpeg run (one output per input), for layouts whose frames are published at another size or format
 * (AVSBench S4/MS3: 224x224 PNG). Bicubic, as the published 224x224 frames were made with a smooth resize.
 */
import { resolveFfmpeg } from './ffmpeg-binaries';
import { runTool } from './run-tool';

export interface StillConversion {
  src: string;
  dest: string;
}

export async function convertStills(items: readonly StillConversion[], width: number, height: number, signal?: AbortSignal): Promise<void> {
  if (items.length === 0) return;
  const args = ['-hide_banner', '-nostats', '-v', 'error'];
  for (const item of items) args.push('-i', item.src);
  items.forEach((item, i) => {
    args.push('-map', `${i}:v:0`, '-vf', `scale=${width}:${height}:flags=bicubic`, '-frames:v', '1', '-update', '1', '-y', item.dest);
  });
  await runTool(resolveFfmpeg().ffmpeg, args, items[0]!.src, signal);
}
