/**
 * An ExportSource over videos held as plain data (frame image files + object rasters + a WAV or a function for
 * audio): what importing a dataset produces, what `avs-annotator export DATASET` converts from, and what tests
 * build over real generated media. Frame images that are not JPEG (S4/MS3 PNGs) are converted once, lazily.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { convertStills } from '../media';
import type { SplitName } from '../shared/dataset-formats';
import type { ObjectRaster, ProjectObject, ReviewStatus } from '../shared/project-model';
import type { ExportFrame, ExportSource, ExportVideo } from './export-source';
import { parseWavHeader } from './wav';

export interface MemoryFrame {
  /** JPEG (used as is) or any image ffmpeg reads (converted to JPEG under the work folder on first use). */
  image: string;
  raster: ObjectRaster;
  timeSec?: number;
  review?: ReviewStatus;
}

export interface MemoryVideo {
  id: string;
  name: string;
  width: number;
  height: number;
  objects: ProjectObject[];
  frames: MemoryFrame[];
  /** 16 kHz mono PCM16 WAV covering the video from 0 s, or undefined = no audio track. */
  wav?: string;
  audio?: (startSec: number, durationSec: number) => Promise<Float32Array>;
  origin?: { vid: string; startSec: number };
  split?: SplitName;
}

/** 16 kHz samples of [start, start + duration) from a PCM16 mono WAV (zeros past its end). */
export async function readWavRange(file: string, startSec: number, durationSec: number): Promise<Float32Array> {
  const bytes = await fs.readFile(file);
  const info = parseWavHeader(bytes);
  if (info.bitsPerSample !== 16 || info.channels !== 1) throw new Error(`${file}: expected mono PCM16 audio`);
  const dataStart = bytes.length - info.frames * 2;
  const out = new Float32Array(Math.round(durationSec * info.sampleRate));
  const first = Math.round(startSec * info.sampleRate);
  for (let i = 0; i < out.length && first + i < info.frames; i++) out[i] = bytes.readInt16LE(dataStart + (first + i) * 2) / 32767;
  return out;
}

function exportFrame(v: MemoryVideo, f: MemoryFrame, k: number, workDir: string): ExportFrame {
  let jpeg: Promise<string> | undefined;
  return {
    index: k,
    timeSec: f.timeSec ?? k + 15 / 16,
    review: f.review ?? 'unreviewed',
    jpegPath: () => {
      if (/\.jpe?g$/i.test(f.image)) return Promise.resolve(f.image);
      jpeg ??= (async () => {
        const dest = path.join(workDir, v.id, `${k}.jpg`);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await convertStills([{ src: f.image, dest }], v.width, v.height);
        return dest;
      })();
      return jpeg;
    },
    raster: () => Promise.resolve(f.raster),
  };
}

export function memorySource(videos: readonly MemoryVideo[], workDir: string): ExportSource {
  return {
    videos: videos.map((v): ExportVideo => ({
      id: v.id, name: v.name, width: v.width, height: v.height, durationSec: v.frames.length,
      hasAudio: v.wav !== undefined || v.audio !== undefined, objects: v.objects,
      frames: v.frames.map((f, k) => exportFrame(v, f, k, workDir)),
      audio: v.audio ?? ((s, d) => (v.wav ? readWavRange(v.wav, s, d) : Promise.resolve(new Float32Array(Math.round(d * 16000))))),
      ...(v.origin ? { origin: v.origin } : {}),
      ...(v.split ? { split: v.split } : {}),
    })),
  };
}
