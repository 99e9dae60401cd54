/**
 * What the per-video frame layouts (COCO, VOC, DAVIS, YouTube-VOS) share: every sampled frame of every video
 * (no windows: these formats index frames, not clips), frame names `{k:05}`, the frame JPEG copied at its exact
 * display size, and the 256-colour VOC palette their PNG masks carry.
 */
import { vocPalette, type Rgb } from '../shared/avss-classes';
import type { SplitName } from '../shared/dataset-formats';
import { throwIfAborted } from '../util/abort';
import { splitOf, vidOf, videoWarnings, type WriterOptions } from './dataset-clips';
import type { ExportFrame, ExportSource, ExportVideo } from './export-source';

export const VOC_PALETTE_256: readonly Rgb[] = vocPalette(256);

export function frameName(k: number): string {
  return String(k).padStart(5, '0');
}

export interface SequenceFrame {
  video: ExportVideo;
  vid: string;
  split: SplitName;
  frame: ExportFrame;
  /** Position in the video (0-based; = the sampled second). */
  k: number;
}

/** Every frame of every video with at least one frame; warnings for silent videos. */
export function* sequenceFrames(source: ExportSource, opts: WriterOptions, warnings: string[]): Generator<SequenceFrame> {
  for (const video of source.videos) {
    if (video.frames.length === 0) {
      warnings.push(`${video.name}: no sampled frames, nothing written`);
      continue;
    }
    warnings.push(...videoWarnings(video));
    const vid = vidOf(video);
    const split = splitOf(video, opts);
    for (const [k, frame] of video.frames.entries()) {
      throwIfAborted(opts.signal);
      yield { video, vid, split, frame, k };
    }
  }
}

/** Names per split, for ImageSets-style lists: sorted, one per line. */
export function splitLists(entries: Iterable<{ split: SplitName; name: string }>): Map<SplitName, string[]> {
  const lists = new Map<SplitName, Set<string>>();
  for (const e of entries) {
    if (!lists.has(e.split)) lists.set(e.split, new Set());
    lists.get(e.split)!.add(e.name);
  }
  return new Map([...lists].map(([split, names]) => [split, [...names].sort()]));
}
