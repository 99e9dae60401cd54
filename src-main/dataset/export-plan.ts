/**
 * Pure planning shared by every writer and by the export dialog's preview: which split each video goes to and
 * what an export will contain (clips, frames, objects, classes) before anything is written.
 */
import { AVSS_CLASSES } from '../shared/avss-classes';
import type { DatasetFormat, ExportPreview, SplitName, SplitSpec } from '../shared/dataset-formats';
import type { ProjectObject } from '../shared/project-model';
import { clipWindows, WINDOW_FRAMES, type ClipLabel, type ClipWindow } from './window-rule';

/** What planning needs of a video (an ExportVideo has all of it). */
export interface PlanVideo {
  id: string;
  name: string;
  objects: readonly ProjectObject[];
  frames: readonly unknown[];
  origin?: { vid: string; startSec: number };
  split?: SplitName;
}

/** Formats cut into fixed-length clips (the window rule); the others export every sampled frame per video. */
export function isClipFormat(format: DatasetFormat): format is 'avss' | 's4' | 'ms3' {
  return format === 'avss' || format === 's4' || format === 'ms3';
}

/** Window label of a clip format: S4 is `v1s`, MS3 `v1m`, AVSS the chosen label (default v2). */
export function clipLabel(format: 'avss' | 's4' | 'ms3', label?: ClipLabel): ClipLabel {
  return format === 's4' ? 'v1s' : format === 'ms3' ? 'v1m' : label ?? 'v2';
}

export function videoWindows(video: PlanVideo, label: ClipLabel): { windows: ClipWindow[]; warning?: string } {
  const plan = clipWindows(video.frames.length, WINDOW_FRAMES[label], video.origin?.startSec ?? 0);
  return plan.warning ? { windows: [], warning: `${video.name}: ${plan.warning}` } : plan;
}

/** Mulberry32: a tiny seeded generator, so a ratio split is the same on every machine for the same seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Split per video id. Ratio: videos sorted by name (then id) are shuffled with the seed and cut by the shares
 * (normalised; rounding gives the remainder to train), so the result does not depend on the order videos were opened.
 */
export function chooseSplits(videos: readonly Pick<PlanVideo, 'id' | 'name' | 'split'>[], spec: SplitSpec): Map<string, SplitName> {
  const out = new Map<string, SplitName>();
  if (spec.kind === 'all') for (const v of videos) out.set(v.id, spec.split);
  else if (spec.kind === 'per-video') for (const v of videos) out.set(v.id, spec.splits[v.id] ?? v.split ?? spec.fallback);
  else {
    const total = spec.train + spec.val + spec.test;
    if (!(total > 0)) throw new RangeError('split ratio: the shares add up to 0');
    const order = [...videos].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rand = seeded(spec.seed);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const nVal = Math.round((order.length * spec.val) / total);
    const nTest = Math.round((order.length * spec.test) / total);
    order.forEach((v, i) => out.set(v.id, i < nVal ? 'val' : i < nVal + nTest ? 'test' : 'train'));
  }
  return out;
}

/** The seconds of a video an export writes: every window's for clip formats, every sampled frame otherwise. */
export function exportedSeconds(video: PlanVideo, format: DatasetFormat, label?: ClipLabel): { seconds: Set<number>; clips: number; frames: number; warning?: string } {
  if (!isClipFormat(format)) {
    return { seconds: new Set(video.frames.map((_, i) => i)), clips: video.frames.length > 0 ? 1 : 0, frames: video.frames.length };
  }
  const plan = videoWindows(video, clipLabel(format, label));
  const seconds = new Set<number>();
  for (const w of plan.windows) for (let s = w.start; s < w.start + w.length; s++) seconds.add(s);
  const frames = plan.windows.length * WINDOW_FRAMES[clipLabel(format, label)];
  return { seconds, clips: plan.windows.length, frames, ...(plan.warning ? { warning: plan.warning } : {}) };
}

/** What an export of `videos` in `format` will hold. COCO counts every object (it carries a `sounding` flag). */
export function exportPreview(videos: readonly PlanVideo[], format: DatasetFormat, spec: SplitSpec, label?: ClipLabel): ExportPreview {
  const splits = chooseSplits(videos, spec);
  const preview: ExportPreview = { format, clips: 0, frames: 0, objects: 0, classes: [], splits: { train: 0, val: 0, test: 0 }, warnings: [] };
  const classes = new Set<number>();
  for (const video of videos) {
    const part = exportedSeconds(video, format, label);
    preview.clips += part.clips;
    preview.frames += part.frames;
    if (part.warning) preview.warnings.push(part.warning);
    if (part.clips > 0) preview.splits[splits.get(video.id) ?? 'train']++;
    for (const object of video.objects) {
      const sounds = [...part.seconds].some((s) => object.sounding[s]);
      if (part.clips > 0 && (sounds || format === 'coco')) preview.objects++;
      if (part.clips > 0 && sounds) classes.add(object.classIndex);
    }
  }
  preview.classes = [...classes].sort((a, b) => a - b).map((c) => AVSS_CLASSES[c]!);
  if (preview.clips === 0) preview.warnings.push('nothing to export');
  return preview;
}
