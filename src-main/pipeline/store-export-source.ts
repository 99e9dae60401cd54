/**
 * An ExportSource over the session store's pre-label results (class-index mask PNGs): each class present in a
 * video becomes one object (id = class index) sounding in the seconds where it has pixels, which is what the
 * model's masks mean. A video without an audio track has nothing sounding (a silent video cannot have sounding
 * objects) and its export says so. Used until the project document (src-main/project/) provides its own.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { ObjectRaster, ProjectObject } from '../shared/project-model';
import { isBinary } from '../shared/onnx-contract';
import { decodePng, type ExportSource, type ExportVideo } from '../dataset';
import { extractAudio } from '../media';
import { AppError } from './app-error';
import type { ProjectStore } from './project-store';

/** AVSBench's `vid` is the source video id; ours is the file stem. */
export function videoStem(file: string): string {
  return basename(file, extname(file));
}

async function readRaster(file: string, width: number, height: number): Promise<ObjectRaster> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new AppError('not-found', `mask ${basename(file)} is missing: pre-label the video again`);
  }
  const image = decodePng(bytes);
  if (image.channels !== 1 || image.width !== width || image.height !== height) {
    throw new AppError('internal', `mask ${file} is not a ${width}x${height} class-index PNG`);
  }
  return { width, height, data: Uint16Array.from(image.data) };
}

export function storeExportVideo(store: ProjectStore, videoId: string): ExportVideo {
  const entry = store.video(videoId);
  const result = store.result(videoId);
  if (!result) throw new AppError('bad-input', `${entry.info.fileName}: pre-label the video before exporting it`);
  if (isBinary(result.model)) {
    throw new AppError('unsupported', `AVSS export needs a multi-class (AVSS) model; ${result.model.fileName} is a binary ${result.model.task} model`);
  }
  const classes = result.model.classes;
  if (classes.length !== AVSS_CLASSES.length || classes.some((c, i) => c !== AVSS_CLASSES[i])) {
    throw new AppError('unsupported', `AVSS export needs a model with the 71 AVSBench classes; ${result.model.fileName} has ${classes.length} others`);
  }
  const { width, height } = entry.probe;
  const present = new Map<number, boolean[]>();
  result.frames.forEach((frame, k) => {
    for (const c of frame.classes) {
      if (c === 0) continue;
      if (!present.has(c)) present.set(c, new Array<boolean>(entry.times.length).fill(false));
      present.get(c)![k] = entry.probe.hasAudio;
    }
  });
  const objects = [...present].sort((a, b) => a[0] - b[0]).map(([c, sounding], z): ProjectObject => ({ id: c, classIndex: c, visible: true, locked: false, z, sounding }));
  return {
    id: entry.id, name: videoStem(entry.file), width, height, durationSec: entry.probe.durationSec, hasAudio: entry.probe.hasAudio, objects,
    frames: entry.times.map((timeSec, k) => ({
      index: k, timeSec, review: 'unreviewed',
      jpegPath: async () => {
        const file = await store.mediaFile(`${entry.id}/frame/${k}.jpg`);
        if (!file) throw new AppError('media', `${entry.file}: frame ${k} could not be extracted`);
        return file;
      },
      raster: () => readRaster(store.maskFile(entry.id, k), width, height),
    })),
    audio: (startSec, durationSec) => extractAudio(entry.file, { startSec, durationSec, sampleRate: 16000, probe: entry.probe }),
  };
}

export function storeExportSource(store: ProjectStore, videoIds: readonly string[]): ExportSource {
  return { videos: videoIds.map((id) => storeExportVideo(store, id)) };
}
