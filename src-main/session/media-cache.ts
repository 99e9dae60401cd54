/**
 * The session's media cache: what the UI shows and exports copy, re-made from the videos on demand and never
 * part of the project (so nothing is stored twice). A private temp folder, removed on dispose:
 *   {workDir}/{videoId}/frame/{k}.jpg  full-size sampled frames     thumb/{k}.jpg  strip thumbnails
 *   {workDir}/{videoId}/mask/{k}.png   class-index views of the project's rasters (for today's mask layers)
 *   {workDir}/{videoId}/audio.wav      16 kHz mono
 * Frames, thumbnails and audio are made lazily, one window at a time, the first time they are asked for, and a
 * video is probed on first use, so opening a project of long videos costs no decode (and no ffprobe).
 * A frame asked for alone (the one on screen) has priority: batches of frames and thumbnails wait until no such
 * single-frame decode is running, so opening a video shows its first frame before the strip fills in.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractAudio, frameSampleTimes, probeVideo, writeFrameJpegs, type VideoProbe } from '../media';
import { AppError } from '../pipeline/app-error';
import { WavWriter } from '../pipeline/wav-file';
import { onExitSync } from '../util/exit-cleanup';

export interface VideoEntry {
  id: string;
  file: string;
  probe: VideoProbe;
  /** Sampling instants (s from the first frame), one per sampled frame. */
  times: number[];
}

/** Frames per lazily generated batch (one ffmpeg run); matches an AVSS window. */
const MEDIA_BATCH = 10;
const THUMB_WIDTH = 160;
const MEDIA_PATH = /^([A-Za-z0-9_-]{1,64})\/(?:(frame|thumb|mask)\/(\d{1,7})\.(jpg|png)|audio\.wav|(video))$/;

export type MediaRequest =
  | { videoId: string; kind: 'frame' | 'thumb' | 'mask'; index: number }
  // `video`: the opened file itself, for <video> playback (the user chose it; served with range support).
  | { videoId: string; kind: 'video' }
  | { videoId: string; kind: 'audio' };

/** Parses a mediaPath (ipc-contract `mediaPath()`); null for anything else. The path is parsed, never joined. */
export function parseMediaPath(mediaPath: string): MediaRequest | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(mediaPath);
  } catch {
    return null;
  }
  const m = MEDIA_PATH.exec(decoded);
  if (!m) return null;
  const kind = m[2] as 'frame' | 'thumb' | 'mask' | undefined;
  if (m[5]) return { videoId: m[1]!, kind: 'video' };
  if (!kind) return { videoId: m[1]!, kind: 'audio' };
  if ((kind === 'mask') !== (m[4] === 'png')) return null;
  return { videoId: m[1]!, kind, index: Number(m[3]) };
}

export class MediaCache {
  private readonly files = new Map<string, string>();
  private readonly entries = new Map<string, Promise<VideoEntry>>();
  private readonly pending = new Map<string, Promise<void>>();
  /** Single-frame decodes in flight: background batches start only when this is empty. */
  private readonly foreground = new Set<Promise<void>>();

  /** Removes the work folder if the process exits before dispose() (a forced exit after Ctrl+C). */
  private readonly forgetExitHook: () => void;

  private constructor(readonly workDir: string) {
    this.forgetExitHook = onExitSync(() => rmSync(workDir, { recursive: true, force: true }));
  }

  static async create(parent = tmpdir()): Promise<MediaCache> {
    return new MediaCache(await mkdtemp(join(parent, 'avs-annotator-')));
  }

  /**
   * Makes a video's media available under `videoId`; `probe` when the caller already has one. Without it the
   * video is probed on first use, so opening a project of many videos spawns no ffprobe.
   */
  register(videoId: string, file: string, probe?: VideoProbe): void {
    if (this.files.get(videoId) === file && (this.entries.has(videoId) || !probe)) return;
    this.files.set(videoId, file);
    this.entries.delete(videoId);
    if (probe) this.entries.set(videoId, Promise.resolve({ id: videoId, file, probe, times: frameSampleTimes(probe) }));
  }

  forget(videoId: string): void {
    this.files.delete(videoId);
    this.entries.delete(videoId);
  }

  has(videoId: string): boolean {
    return this.files.has(videoId);
  }

  async video(videoId: string): Promise<VideoEntry> {
    const file = this.files.get(videoId);
    if (file === undefined) throw new AppError('not-found', `no open video with id ${videoId}`);
    let entry = this.entries.get(videoId);
    if (!entry) {
      entry = probeVideo(file).then((probe) => ({ id: videoId, file, probe, times: frameSampleTimes(probe) }));
      // A failed probe (the file went away) is retried by the next request.
      entry.catch(() => this.entries.delete(videoId));
      this.entries.set(videoId, entry);
    }
    return entry;
  }

  dir(videoId: string, kind: 'frame' | 'thumb' | 'mask'): string {
    return join(this.workDir, videoId, kind);
  }

  /** A frame, thumbnail or the audio of a registered video, made first when needed; null when it cannot be. */
  async mediaFile(request: MediaRequest): Promise<string | null> {
    if (!this.files.has(request.videoId) || request.kind === 'mask') return null;
    if (request.kind === 'video') return this.files.get(request.videoId)!;
    const entry = await this.video(request.videoId).catch(() => null);
    if (!entry) return null;
    if (request.kind === 'audio') {
      await this.once(`${entry.id}/audio`, () => this.makeAudio(entry));
      return join(this.workDir, entry.id, 'audio.wav');
    }
    if (request.index >= entry.times.length) return null;
    const file = join(this.dir(entry.id, request.kind), `${request.index}.jpg`);
    if (!existsSync(file)) {
      const { kind, index } = request;
      const batch = Math.floor(index / MEDIA_BATCH);
      const batchKey = `${entry.id}/${kind}/${batch}`;
      if (kind === 'frame' && !this.pending.has(batchKey)) {
        // The frame asked for first (the one on screen) comes alone: one seek and one decoded frame, not a
        // 10-frame run of a 1080p video. Its batch then fills the rest in the background, skipping it.
        await this.once(`${entry.id}/frame/single/${index}`, () => this.inForeground(this.writeFrames(entry, index, 1)));
        this.once(batchKey, () => this.makeFrames(entry, 'frame', batch)).catch(() => {});
      } else {
        await this.once(batchKey, () => this.makeFrames(entry, kind, batch));
      }
    }
    return existsSync(file) ? file : null;
  }

  /** The full-size JPEG of a sampled frame (exports copy it); throws a media error naming the video. */
  async frameJpeg(videoId: string, index: number): Promise<string> {
    const file = await this.mediaFile({ videoId, kind: 'frame', index });
    if (!file) throw new AppError('media', `${this.files.get(videoId) ?? videoId}: frame ${index} could not be extracted`);
    return file;
  }

  /** 16 kHz mono samples of a range (zeros where the video has no sound). */
  async audio(videoId: string, startSec: number, durationSec: number, signal?: AbortSignal): Promise<Float32Array> {
    const entry = await this.video(videoId);
    return extractAudio(entry.file, { startSec, durationSec, sampleRate: 16000, probe: entry.probe, ...(signal ? { signal } : {}) });
  }

  /** Writes full-size frame JPEGs for sample indices [from, from + count) (the pipeline reuses its picks). */
  async writeFrames(entry: VideoEntry, from: number, count: number, opts: Parameters<typeof writeFrameJpegs>[3] = {}): Promise<void> {
    const times = entry.times.slice(from, from + count);
    await writeFrameJpegs(entry.file, times, this.dir(entry.id, 'frame'), { probe: entry.probe, ...opts, name: (k) => `${from + k}.jpg` });
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.pending.values());
    await rm(this.workDir, { recursive: true, force: true });
    this.forgetExitHook();
  }

  /** Runs `make` once per key; concurrent requests for the same batch wait for the same run. */
  once(key: string, make: () => Promise<void>): Promise<void> {
    let job = this.pending.get(key);
    if (!job) {
      job = make();
      this.pending.set(key, job);
      // A failed batch may be retried by a later request.
      job.catch(() => this.pending.delete(key));
    }
    return job;
  }

  /** Drops a made file's "done" mark so the next request makes it again (a mask view after an edit). */
  invalidate(key: string): void {
    this.pending.delete(key);
  }

  private inForeground(job: Promise<void>): Promise<void> {
    this.foreground.add(job);
    const done = (): void => void this.foreground.delete(job);
    job.then(done, done);
    return job;
  }

  /** Resolves once no single-frame decode is running (each one finishing may have let another start). */
  private async foregroundIdle(): Promise<void> {
    while (this.foreground.size > 0) await Promise.allSettled([...this.foreground]);
  }

  private async makeFrames(entry: VideoEntry, kind: 'frame' | 'thumb', batch: number): Promise<void> {
    await this.foregroundIdle();
    const from = batch * MEDIA_BATCH;
    if (kind === 'frame') {
      // Frames already written or being written alone are left as they are (never decoded twice at once, and a
      // file being served is not rewritten); the rest in one run.
      const indices = entry.times.slice(from, from + MEDIA_BATCH).map((_, k) => from + k)
        .filter((i) => !this.pending.has(`${entry.id}/frame/single/${i}`) && !existsSync(join(this.dir(entry.id, 'frame'), `${i}.jpg`)));
      if (indices.length === 0) return;
      await writeFrameJpegs(entry.file, indices.map((i) => entry.times[i]!), this.dir(entry.id, 'frame'), { probe: entry.probe, name: (k) => `${indices[k]}.jpg` });
      return;
    }
    // Even sizes keep every encoder happy; thumbnails keep the display aspect.
    const height = Math.max(2, 2 * Math.round((THUMB_WIDTH * entry.probe.height) / entry.probe.width / 2));
    const times = entry.times.slice(from, from + MEDIA_BATCH);
    await writeFrameJpegs(entry.file, times, this.dir(entry.id, 'thumb'), {
      probe: entry.probe, width: THUMB_WIDTH, height, quality: 5, name: (k) => `${from + k}.jpg`,
    });
  }

  /** The whole track as WAV, extracted window by window (bounded memory), written under a temp name. */
  private async makeAudio(entry: VideoEntry): Promise<void> {
    const target = join(this.workDir, entry.id, 'audio.wav');
    if (existsSync(target)) return;
    await mkdir(join(this.workDir, entry.id), { recursive: true });
    const tmp = `${target}.tmp`;
    const wav = await WavWriter.create(tmp, 16000);
    try {
      const total = entry.probe.durationSec;
      for (let start = 0; start < total; start += 60) {
        const durationSec = Math.min(60, total - start);
        await wav.append(await extractAudio(entry.file, { startSec: start, durationSec, sampleRate: 16000, probe: entry.probe }));
      }
    } finally {
      await wav.close();
    }
    await rename(tmp, target);
  }
}
