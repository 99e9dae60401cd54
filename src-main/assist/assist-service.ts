/**
 * Click-to-mask and propagation on the main side. Frames are decoded by ffmpeg straight at the encoder's size
 * (longest side 1024) and embedded in the inference worker, which caches the embeddings (sam-runtime.ts).
 * Clicks go first: background embeddings of the frames around the current one are issued one at a time and only
 * while no click or propagation is waiting, so a click waits for at most one encoder run.
 */
import type { InferenceHost } from '../inference/inference-host';
import { streamFrames, type VideoProbe } from '../media';
import { AppError } from '../pipeline/app-error';
import type { AssistModelFiles } from './assist-models';
import { encoderSize, maskToLowRes, type PromptBox, type PromptPoint } from './sam-contract';
import type { SamDecodeOutput } from './sam-protocol';
import { EMBEDDING_CACHE_SIZE } from './sam-runtime';
import { grownBox, interiorPoint, maskBounds } from './mask-prompts';

export interface AssistVideo {
  id: string;
  file: string;
  probe: VideoProbe;
  /** Sampling instants (s from the first frame), one per sampled frame. */
  times: number[];
}

export interface ClickPrompt {
  points: PromptPoint[];
  box?: PromptBox;
  /** A previous mask of the object on this frame (0/1 per display pixel), fed back as the mask input. */
  previous?: Uint8Array;
  /** Use the low-res logits of this frame's last click instead (refining with more clicks). */
  refine?: boolean;
}

/** How far around the current frame background embedding reaches (frames before / after). */
export const PREFETCH_AHEAD = 2;
export const PREFETCH_BEHIND = 1;
/** Which prompts propagation derives from the previous mask (the default was picked on the synthetic bench). */
export type CarryPrompts = 'box+point+mask' | 'point+mask' | 'box+mask' | 'box' | 'best';
/** 'best': both 'box' and 'box+point+mask', keeping the answer the decoder scores higher among plausible ones. */
export const CARRY_PROMPTS: readonly CarryPrompts[] = ['box+point+mask', 'box', 'best'];
export const DEFAULT_CARRY_PROMPTS: CarryPrompts = 'best';
/** Box margin for propagation prompts: the fraction of the object's size it may move in one second. */
export const PROPAGATION_MARGIN = 0.25;

export class AssistService {
  private opened: Promise<unknown> | null = null;
  private foreground = 0;
  private background: { videoId: string; frames: number[] } | null = null;
  private backgroundRunning = false;
  private readonly lastLowRes = new Map<string, Float32Array>();
  /** Keys the worker was last seen to hold (its LRU is the truth: a decode of an evicted key re-embeds). */
  private readonly embedded = new Set<string>();

  constructor(
    private readonly host: InferenceHost,
    private readonly models: AssistModelFiles | undefined,
    private readonly lookup: (videoId: string) => AssistVideo | Promise<AssistVideo>,
  ) {}

  get available(): boolean {
    return this.models !== undefined;
  }

  /** Embeds these frames now (decoded in one ffmpeg pass); returns the encoder ms of each (0 = was cached). */
  async embed(videoId: string, frames: readonly number[]): Promise<number[]> {
    return this.foregroundTask(async () => this.encodeFrames(await this.lookup(videoId), frames));
  }

  /** Starts embedding the frames around `center` in the background (replaces an earlier request). */
  async prefetch(videoId: string, center: number): Promise<void> {
    const video = await this.lookup(videoId);
    const frames: number[] = [];
    for (let d = 0; d <= PREFETCH_AHEAD; d++) frames.push(center + d);
    for (let d = 1; d <= PREFETCH_BEHIND; d++) frames.push(center - d);
    this.background = { videoId, frames: frames.filter((k) => k >= 0 && k < video.times.length) };
    void this.runBackground();
  }

  /** A mask for one frame from clicks / a box / a previous mask. */
  async click(videoId: string, frame: number, prompt: ClickPrompt): Promise<SamDecodeOutput> {
    if (prompt.points.length === 0 && !prompt.box) throw new AppError('bad-input', 'click-to-mask needs a click or a box');
    return this.foregroundTask(async () => {
      const video = await this.lookup(videoId);
      const key = frameKey(videoId, frame);
      const { width, height } = video.probe;
      let maskInput: Float32Array | undefined;
      if (prompt.refine) maskInput = this.lastLowRes.get(key);
      else if (prompt.previous) maskInput = maskToLowRes(prompt.previous, width, height);
      const out = await this.decode(video, frame, { points: prompt.points, ...(prompt.box ? { box: prompt.box } : {}), ...(maskInput ? { maskInput } : {}) });
      this.lastLowRes.set(key, out.lowRes);
      if (this.lastLowRes.size > 16) this.lastLowRes.delete(this.lastLowRes.keys().next().value!);
      return out;
    });
  }

  /**
   * Carries `mask` (on frame `from`) to each frame of `targets` in turn, each step re-segmenting from prompts
   * derived from the previous step's mask. Stops early (returns fewer masks) when the object is lost.
   */
  async propagate(videoId: string, mask: Uint8Array, targets: readonly number[], prompts = DEFAULT_CARRY_PROMPTS): Promise<SamDecodeOutput[]> {
    return this.foregroundTask(async () => {
      const video = await this.lookup(videoId);
      const { width, height } = video.probe;
      const out: SamDecodeOutput[] = [];
      let previous = mask;
      for (const target of targets) {
        const bounds = maskBounds(previous, width, height);
        const point = interiorPoint(previous, width, height);
        if (!bounds || !point) break;
        const ask = (mode: Exclude<CarryPrompts, 'best'>): Promise<SamDecodeOutput> => this.decode(video, target, {
          points: mode.includes('point') ? [point] : [],
          ...(mode.includes('box') ? { box: grownBox(bounds, width, height, PROPAGATION_MARGIN) } : {}),
          ...(mode.includes('mask') ? { maskInput: maskToLowRes(previous, width, height) } : {}),
        });
        const next = prompts === 'best' ? pickCarried([await ask('box'), await ask('box+point+mask')], bounds.area) : await ask(prompts);
        out.push(next);
        previous = next.bits;
      }
      return out;
    });
  }

  /** Opens the pair once (a failed open is retried by the next call) and checks the frame indices. */
  private async ensureOpen(video: AssistVideo, frames: readonly number[]): Promise<void> {
    if (!this.models) throw new AppError('unsupported', 'click-to-mask is unavailable: no encoder/decoder pair is installed');
    for (const k of frames) {
      if (!Number.isInteger(k) || k < 0 || k >= video.times.length) throw new AppError('bad-input', `frame ${k} is outside the video (0..${video.times.length - 1})`);
    }
    this.opened ??= this.host.samOpen(this.models.encoder, this.models.decoder).catch((err: unknown) => {
      this.opened = null;
      throw err;
    });
    await this.opened;
  }

  private async decode(video: AssistVideo, frame: number, input: Omit<Parameters<InferenceHost['samDecode']>[0], 'key'>): Promise<SamDecodeOutput> {
    await this.ensureOpen(video, [frame]);
    const key = frameKey(video.id, frame);
    for (let attempt = 0; attempt < 2; attempt++) {
      const out = await this.host.samDecode({ key, ...input });
      if (out) return out;
      // Not cached (never embedded, or evicted): embed it and try once more.
      await this.encodeFrames(video, [frame], true);
    }
    throw new AppError('internal', `the embedding of frame ${frame} could not be kept`);
  }

  private async encodeFrames(video: AssistVideo, wanted: readonly number[], force = false): Promise<number[]> {
    await this.ensureOpen(video, wanted);
    const frames = wanted.filter((k) => force || !this.embedded.has(frameKey(video.id, k)));
    const { width, height } = encoderSize(video.probe.width, video.probe.height);
    const ms = new Map<number, number>();
    await streamFrames(video.file, frames.map((k) => video.times[k]!), { width, height, probe: video.probe }, async (i, rgb) => {
      const key = frameKey(video.id, frames[i]!);
      const out = await this.host.samEncode({
        key, rgb: rgb.slice(), width, height, displayWidth: video.probe.width, displayHeight: video.probe.height,
      });
      this.embedded.delete(key);
      this.embedded.add(key);
      while (this.embedded.size > EMBEDDING_CACHE_SIZE) this.embedded.delete(this.embedded.values().next().value!);
      ms.set(frames[i]!, out.ms);
    });
    return wanted.map((k) => ms.get(k) ?? 0);
  }

  private async foregroundTask<T>(task: () => Promise<T>): Promise<T> {
    this.foreground++;
    try {
      return await task();
    } finally {
      this.foreground--;
      void this.runBackground();
    }
  }

  private async runBackground(): Promise<void> {
    if (this.backgroundRunning) return;
    this.backgroundRunning = true;
    try {
      while (this.foreground === 0 && this.background && this.background.frames.length > 0) {
        const { videoId } = this.background;
        const frame = this.background.frames.shift()!;
        try {
          await this.encodeFrames(await this.lookup(videoId), [frame]);
        } catch {
          // Background work only: a click on that frame embeds it again and reports any error.
        }
      }
    } finally {
      this.backgroundRunning = false;
    }
  }
}

/** Objects do not grow or shrink more than this between seconds; an answer outside is implausible. */
const MAX_AREA_RATIO = 2.5;

/** The decoder's best-scored answer among those whose area stays plausible (all of them when none does). */
export function pickCarried(candidates: SamDecodeOutput[], previousArea: number): SamDecodeOutput {
  const area = (m: SamDecodeOutput): number => m.bits.reduce((a, b) => a + b, 0);
  const plausible = candidates.filter((m) => {
    const ratio = area(m) / previousArea;
    return ratio > 1 / MAX_AREA_RATIO && ratio < MAX_AREA_RATIO;
  });
  const pool = plausible.length > 0 ? plausible : candidates;
  return pool.reduce((best, m) => (m.score > best.score ? m : best));
}

export function frameKey(videoId: string, frame: number): string {
  return `${videoId}/${frame}`;
}
