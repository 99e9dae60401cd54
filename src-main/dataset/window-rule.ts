/**
 * The one window rule every clip-based export (AVSS, S4, MS3) follows: how a video's sampled frames (one per
 * second, src-main/media/sampling.ts) are cut into clips of exactly the published frame count.
 *   AVSS `v2`: 10 frames = 10 s;  `v1s` / `v1m` (and S4 / MS3): 5 frames = 5 s.
 * Tail rule: windows start every T seconds; when the frames left after the last full window are fewer than T,
 * one more window is placed so that it ENDS at the last sampled second and overlaps the previous one. Its uid
 * carries its real start and end ms (a 12.5-s video gives `_0_10000` and `_2000_12000`), so every clip is a real
 * stretch of the video with real audio, and the published loaders read exactly T frames from each.
 * A video with fewer sampled frames than one window gives no clip and a warning: padding would invent frames,
 * audio and labels, and a short clip would break the loaders.
 */

export type ClipLabel = 'v1s' | 'v1m' | 'v2';

export const WINDOW_FRAMES: Readonly<Record<ClipLabel, number>> = { v2: 10, v1s: 5, v1m: 5 };

export interface ClipWindow {
  /** First sampled frame (= second) of the clip in its video. */
  start: number;
  /** Number of frames (= seconds): always the label's window length. */
  length: number;
  /** Clip start and end in ms from the video's first frame (offset added), as the uid spells them. */
  startMs: number;
  endMs: number;
  /** True for the tail window that overlaps its predecessor. */
  overlapsPrevious: boolean;
}

export interface WindowPlan {
  windows: ClipWindow[];
  /** Set when the video is shorter than one window (and so gives no clip). */
  warning?: string;
}

/**
 * Windows over `frameCount` sampled frames. `offsetSec` shifts the ms in the uids (a video that is itself a
 * clip cut at `offsetSec` of its source keeps the source's timeline, as imported AVSBench clips do).
 */
export function clipWindows(frameCount: number, length: number, offsetSec = 0): WindowPlan {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`window length must be a positive integer, got ${length}`);
  if (frameCount < length) {
    return {
      windows: [],
      warning: `${frameCount} sampled second(s) is shorter than one ${length}-s clip: no clip written (clips are never padded or cut short)`,
    };
  }
  const starts: number[] = [];
  for (let s = 0; s + length <= frameCount; s += length) starts.push(s);
  const lastEnd = starts[starts.length - 1]! + length;
  const tail = lastEnd < frameCount;
  if (tail) starts.push(frameCount - length);
  const ms = (sec: number): number => Math.round((offsetSec + sec) * 1000);
  const windows = starts.map((start, i) => ({
    start, length, startMs: ms(start), endMs: ms(start + length), overlapsPrevious: tail && i === starts.length - 1,
  }));
  return { windows };
}

/** `{vid}_{startMs}_{endMs}`: the AVSBench clip folder name. */
export function clipUid(vid: string, window: Pick<ClipWindow, 'startMs' | 'endMs'>): string {
  return `${vid}_${window.startMs}_${window.endMs}`;
}

/** Video ids become folder names and CSV fields: keep letters, digits, `-` and `_`; everything else -> `_`. */
export function safeVid(name: string): string {
  const cleaned = name.normalize('NFC').replace(/[^\p{L}\p{N}_-]/gu, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 120) : 'video';
}
