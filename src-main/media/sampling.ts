/**
 * The project's one frame sampling rule (docs/architecture.md): second k of a video is represented by the frame
 * displayed at t = k + 15/16 s (AVSBench S4 preprocessing took the frame 15/16 of the way into each second), i.e.
 * the last frame whose presentation time <= t, with t measured from the first video frame's pts.
 * For a rate r frames per second, sample k is taken at (k + 15/16) / r.
 */
import type { VideoProbe } from './probe';

/** Fraction of each sampling period at which the representative frame is taken. */
export const SAMPLE_PHASE = 15 / 16;

export interface SampleOptions {
  /** Samples per second (AVSBench: 1). */
  rate?: number;
  /** Window start (s, relative to the first frame); sample 0 of the window is at startSec + phase / rate. */
  startSec?: number;
  /** Window end (s, exclusive); defaults to the video's end. */
  endSec?: number;
}

/**
 * Sampling instants (s, relative to the first frame) inside [startSec, min(endSec, duration)). A second is
 * sampled when its instant falls before the video ends, i.e. while a frame is still on screen at that instant:
 * a 4.97 s clip gives 5 samples, a 4.9 s clip gives 4.
 */
export function frameSampleTimes(probe: Pick<VideoProbe, 'durationSec'>, opts: SampleOptions = {}): number[] {
  const rate = opts.rate ?? 1;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`sampling rate must be > 0, got ${rate}`);
  const start = Math.max(0, opts.startSec ?? 0);
  const end = Math.min(opts.endSec ?? Infinity, probe.durationSec);
  const times: number[] = [];
  for (let k = 0; ; k++) {
    const t = start + (k + SAMPLE_PHASE) / rate;
    if (t >= end) break;
    times.push(t);
  }
  return times;
}

/**
 * Index of the frame shown at `t` given sorted frame presentation times (relative): the last pts <= t, or the
 * first frame when t precedes it. Used by streamFrames and by tests as the reference implementation.
 */
export function frameIndexAt(ptsSorted: readonly number[], t: number, epsilon = 1e-6): number {
  let lo = 0;
  let hi = ptsSorted.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ptsSorted[mid]! <= t + epsilon) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}
