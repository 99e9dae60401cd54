/**
 * What every dataset writer reads: the project's videos as the exporters need them, one sampled frame at a time
 * (never a whole video in memory). The project layer (src-main/project/) implements it over the annotation
 * document and the session media cache; writers (AVSS, S4/MS3, COCO, VOC, DAVIS) only consume it, so a new
 * format never reaches into the project or the media cache.
 */
import type { ObjectRaster, ProjectObject, ReviewStatus } from '../shared/project-model';

export interface ExportFrame {
  /** Sampled-frame index (= the second it represents). */
  index: number;
  /** Presentation time (s, from the first frame). */
  timeSec: number;
  review: ReviewStatus;
  /** A JPEG of the sampled frame at the video's display size, made on first use. */
  jpegPath(): Promise<string>;
  /** The frame's object-id raster at the video's display size. */
  raster(): Promise<ObjectRaster>;
}

export interface ExportVideo {
  /** Opaque id of the video in its project. */
  id: string;
  /** File name without extension, as the user knows the video (writers sanitise it for uids). */
  name: string;
  width: number;
  height: number;
  durationSec: number;
  hasAudio: boolean;
  objects: readonly ProjectObject[];
  frames: readonly ExportFrame[];
  /** 16 kHz mono samples of [startSec, startSec + durationSec); zeros where the video has no sound. */
  audio(startSec: number, durationSec: number): Promise<Float32Array>;
  /**
   * Set when the video is itself a clip of a longer source (an imported AVSBench clip): exports name clips
   * after `vid` and count ms from `startSec`, so export -> import -> export keeps the published uids.
   */
  origin?: { vid: string; startSec: number };
  /** Split this video was imported with (a split chooser may use it as the default). */
  split?: 'train' | 'val' | 'test';
}

export interface ExportSource {
  videos: readonly ExportVideo[];
}
