/**
 * A small in-memory ExportSource over REAL generated media: an ffmpeg test video (counter frames + a tone),
 * its sampled frames as JPEGs at display size (src-main/media), its audio through extractAudio, and object
 * rasters drawn here (rectangles), so writer tests exercise real JPEG/WAV/PNG paths.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { extractAudio, frameSampleTimes, probeVideo, writeFrameJpegs } from '../../../src-main/media';
import { memorySource, type MemoryVideo } from '../../../src-main/dataset/memory-source';
import type { ExportSource } from '../../../src-main/dataset/export-source';
import { AVSS_CLASSES } from '../../../src-main/shared/avss-classes';
import type { ProjectObject } from '../../../src-main/shared/project-model';
import { makeCounterVideo } from './media-fixtures';
import { python, repoRoot } from '../app-support/test-model';

export const cls = (name: string): number => {
  const i = AVSS_CLASSES.indexOf(name);
  if (i < 1) throw new Error(`no class ${name}`);
  return i;
};

export interface FixtureVideoOptions {
  name: string;
  width: number;
  height: number;
  seconds: number;
  audio?: boolean;
}

/**
 * Video `name` with two objects: 1 = piano (left third) sounding in seconds 0..4 only, 2 = woman (right third)
 * sounding every second; object 2 moves down one pixel per second so every frame's mask differs.
 */
export async function fixtureVideo(dir: string, o: FixtureVideoOptions): Promise<MemoryVideo> {
  const file = path.join(dir, `${o.name}.mp4`);
  await makeCounterVideo(file, { width: o.width, height: o.height, rate: 10, seconds: o.seconds, pixFmt: 'yuv444p', ...(o.audio === false ? {} : { toneHz: 440 }) });
  const probe = await probeVideo(file);
  const times = frameSampleTimes(probe);
  const jpegs = await writeFrameJpegs(file, times, path.join(dir, `${o.name}-frames`), { probe });
  const { width, height } = probe;
  const third = Math.floor(width / 3);
  const objects: ProjectObject[] = [
    { id: 1, classIndex: cls('piano'), visible: true, locked: false, z: 0, sounding: times.map((_, k) => k < 5) },
    { id: 2, classIndex: cls('woman'), visible: true, locked: false, z: 1, sounding: times.map(() => true) },
  ];
  const frames = jpegs.map((image, k) => {
    const data = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (x < third && y < height - 2) data[y * width + x] = 1;
        if (x >= width - third && y >= Math.min(k, height - 1)) data[y * width + x] = 2;
      }
    }
    return { image, raster: { width, height, data }, timeSec: times[k]! };
  });
  const video: MemoryVideo = { id: o.name.replace(/[^A-Za-z0-9_-]/g, '_'), name: o.name, width, height, objects, frames };
  if (probe.hasAudio) video.audio = (startSec, durationSec) => extractAudio(file, { startSec, durationSec, sampleRate: 16000, probe });
  return video;
}

export function sourceOf(videos: MemoryVideo[], workDir: string): ExportSource {
  return memorySource(videos, workDir);
}

/** `python -m ccformer add-logmel` from this checkout's models/ (the .venv's editable install may be another checkout's). */
export function addLogmel(root: string): void {
  execFileSync(python, ['-m', 'ccformer', 'add-logmel', root], { env: { ...process.env, PYTHONPATH: path.join(repoRoot, 'models') }, stdio: 'pipe' });
}
