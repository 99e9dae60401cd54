/**
 * The session's project store: opened videos under opaque ids (paths never travel back from the renderer),
 * pre-label results, and every media file the UI shows, in a private work folder:
 *   {workDir}/{videoId}/frame/{k}.jpg  full-size sampled frames     thumb/{k}.jpg  strip thumbnails
 *   {workDir}/{videoId}/mask/{k}.png   class-index masks (edited)   audio.wav      16 kHz mono
 * Frames, thumbnails and audio are made lazily, one window at a time, the first time they are asked for, so
 * opening a long video costs one probe, not a decode.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { FrameLabel, PrelabelResult, VideoInfo } from '../shared/ipc-contract';
import { extractAudio, frameSampleTimes, writeFrameJpegs, type VideoProbe } from '../media';
import { onExitSync } from '../util/exit-cleanup';
import { AppError } from './app-error';
import { WavWriter } from './wav-file';

export interface VideoEntry {
  id: string;
  file: string;
  probe: VideoProbe;
  info: VideoInfo;
  /** Sampling instants (s from the first frame), one per sampled frame. */
  times: number[];
}

/** Frames per lazily generated batch (one ffmpeg run); matches an AVSS window. */
const MEDIA_BATCH = 10;
const THUMB_WIDTH = 160;
const MEDIA_PATH = /^([A-Za-z0-9_-]{1,64})\/(?:(frame|thumb|mask)\/(\d{1,7})\.(jpg|png)|audio\.wav)$/;

export class ProjectStore {
  private readonly entries = new Map<string, VideoEntry>();
  private readonly results = new Map<string, PrelabelResult>();
  private readonly pending = new Map<string, Promise<void>>();

  /** Removes the work folder if the process exits before dispose() (a forced exit after Ctrl+C). */
  private readonly forgetExitHook: () => void;

  private constructor(readonly workDir: string) {
    this.forgetExitHook = onExitSync(() => rmSync(workDir, { recursive: true, force: true }));
  }

  static async create(parent = tmpdir()): Promise<ProjectStore> {
    return new ProjectStore(await mkdtemp(join(parent, 'avs-annotator-')));
  }

  /** Registers a probed video (the same file opened twice keeps its id). */
  addVideo(file: string, probe: VideoProbe): VideoEntry {
    const abs = resolve(file);
    for (const entry of this.entries.values()) if (entry.file === abs) return entry;
    const id = `v${randomBytes(8).toString('hex')}`;
    const times = frameSampleTimes(probe);
    const info: VideoInfo = {
      videoId: id, fileName: basename(abs), durationSec: probe.durationSec, fps: probe.fps, width: probe.width,
      height: probe.height, rotation: probe.rotation, hasAudio: probe.hasAudio, sampledFrames: times.length,
    };
    const entry = { id, file: abs, probe, info, times };
    this.entries.set(id, entry);
    return entry;
  }

  video(id: string): VideoEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new AppError('not-found', `no open video with id ${id}`);
    return entry;
  }

  videos(): VideoInfo[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  result(id: string): PrelabelResult | null {
    return this.results.get(id) ?? null;
  }

  setResult(result: PrelabelResult): void {
    this.results.set(result.videoId, result);
  }

  /** Replaces one frame's stats after an edit. */
  updateFrame(id: string, label: FrameLabel): void {
    const result = this.results.get(id);
    if (result) result.frames[label.index] = label;
  }

  dir(id: string, kind: 'frame' | 'thumb' | 'mask'): string {
    return join(this.workDir, this.video(id).id, kind);
  }

  maskFile(id: string, index: number): string {
    return join(this.dir(id, 'mask'), `${index}.png`);
  }

  frameFile(id: string, index: number): string {
    return join(this.dir(id, 'frame'), `${index}.jpg`);
  }

  audioFile(id: string): string {
    return join(this.workDir, this.video(id).id, 'audio.wav');
  }

  /**
   * Maps a mediaPath (ipc-contract `mediaPath()`) to an existing file, making it first when needed; null for
   * anything that is not media of an opened video. The path is parsed, never joined as given.
   */
  async mediaFile(mediaPath: string): Promise<string | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(mediaPath);
    } catch {
      return null;
    }
    const m = MEDIA_PATH.exec(decoded);
    if (!m || !this.entries.has(m[1]!)) return null;
    const entry = this.entries.get(m[1]!)!;
    const kind = m[2] as 'frame' | 'thumb' | 'mask' | undefined;
    if (!kind) {
      await this.once(`${entry.id}/audio`, () => this.makeAudio(entry));
      return this.audioFile(entry.id);
    }
    const index = Number(m[3]);
    if (index >= entry.times.length || (kind === 'mask') !== (m[4] === 'png')) return null;
    const file = join(this.dir(entry.id, kind), `${index}.${m[4]}`);
    if (kind !== 'mask' && !existsSync(file)) {
      const batch = Math.floor(index / MEDIA_BATCH);
      await this.once(`${entry.id}/${kind}/${batch}`, () => this.makeFrames(entry, kind, batch));
    }
    return existsSync(file) ? file : null;
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
  private once(key: string, make: () => Promise<void>): Promise<void> {
    let job = this.pending.get(key);
    if (!job) {
      job = make();
      this.pending.set(key, job);
      // A failed batch may be retried by a later request.
      job.catch(() => this.pending.delete(key));
    }
    return job;
  }

  private async makeFrames(entry: VideoEntry, kind: 'frame' | 'thumb', batch: number): Promise<void> {
    const from = batch * MEDIA_BATCH;
    if (kind === 'frame') return this.writeFrames(entry, from, MEDIA_BATCH);
    // Even sizes keep every encoder happy; thumbnails keep the display aspect.
    const height = Math.max(2, 2 * Math.round((THUMB_WIDTH * entry.probe.height) / entry.probe.width / 2));
    const times = entry.times.slice(from, from + MEDIA_BATCH);
    await writeFrameJpegs(entry.file, times, this.dir(entry.id, 'thumb'), {
      probe: entry.probe, width: THUMB_WIDTH, height, quality: 5, name: (k) => `${from + k}.jpg`,
    });
  }

  /** The whole track as WAV, extracted window by window (bounded memory), written under a temp name. */
  private async makeAudio(entry: VideoEntry): Promise<void> {
    const target = this.audioFile(entry.id);
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
