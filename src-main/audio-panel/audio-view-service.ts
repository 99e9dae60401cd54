/**
 * The audio panel's data, computed in main per visible range, never from a whole decode: the range is cut
 * into CHUNK_SEC chunks; missing consecutive chunks are decoded by ONE ffmpeg run (seeking to the first),
 * reduced (audio-chunk.ts) and cached (bounded LRU); each request is then answered from the chunks at the
 * asked number of columns. Per-second loudness (for the checks) is kept for every chunk ever decoded.
 */
import { extractAudio, type VideoProbe } from '../media';
import { AppError } from '../pipeline/app-error';
import { NUM_MEL, SAMPLE_RATE } from '../features/mel';
import { melLevel, type AudioView } from '../shared/audio-view';
import {
  BASE_PER_CHUNK, BASE_RATE, CHUNK_SAMPLES, CHUNK_SEC, MEL_STRIDE, reduceChunk, type AudioChunk,
} from './audio-chunk';

export interface AudioVideo {
  id: string;
  file: string;
  probe: VideoProbe;
}

/** Chunks kept (~330 KB each): 96 = 16 minutes of audio, ~32 MB. */
export const CHUNK_CACHE = 96;
/** Widest range one request may ask for (the panel's farthest zoom-out). */
export const MAX_VIEW_SEC = 900;
export const MAX_COLUMNS = 8192;

export class AudioViewService {
  private readonly chunks = new Map<string, AudioChunk>();
  private readonly loudness = new Map<string, Float32Array>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly lookup: (videoId: string) => AudioVideo | Promise<AudioVideo>) {}

  async view(videoId: string, startSec: number, endSec: number, columns: number): Promise<AudioView> {
    const video = await this.lookup(videoId);
    if (!(endSec > startSec) || startSec < 0 || endSec - startSec > MAX_VIEW_SEC) {
      throw new AppError('bad-input', `audio range ${startSec}-${endSec} s must be increasing, from >= 0, at most ${MAX_VIEW_SEC} s wide`);
    }
    if (!Number.isInteger(columns) || columns < 1 || columns > MAX_COLUMNS) throw new AppError('bad-input', `columns must be 1..${MAX_COLUMNS}`);
    const started = performance.now();
    const first = Math.floor(startSec / CHUNK_SEC);
    const last = Math.floor(Math.min(endSec, Math.max(video.probe.durationSec, startSec + 1e-6) - 1e-9) / CHUNK_SEC);
    const cached = await this.ensure(video, first, last);
    const peaks = new Float32Array(columns * 2);
    const mel = new Uint8Array(columns * NUM_MEL);
    const span = (endSec - startSec) / columns;
    for (let c = 0; c < columns; c++) {
      const a = startSec + c * span;
      this.column(video, a, a + span, peaks, mel, c);
    }
    return { startSec, endSec, columns, peaks, mel, ms: performance.now() - started, cached };
  }

  /** RMS dBFS per second of the whole video; decodes (in chunks, nothing kept but the levels) what is missing. */
  async levels(videoId: string): Promise<number[]> {
    const video = await this.lookup(videoId);
    const seconds = Math.ceil(video.probe.durationSec);
    const per = this.perSecond(video);
    for (let s = 0; s < seconds; s += CHUNK_SEC * 6) {
      const first = s / CHUNK_SEC;
      const missing = Array.from({ length: 6 }, (_, i) => first + i).filter((k) => k * CHUNK_SEC < seconds && Number.isNaN(per[k * CHUNK_SEC]!));
      if (missing.length > 0) await this.ensure(video, missing[0]!, missing[missing.length - 1]!);
    }
    return Array.from(per.subarray(0, seconds), (v) => Math.round(v * 10) / 10);
  }

  private column(video: AudioVideo, a: number, b: number, peaks: Float32Array, mel: Uint8Array, c: number): void {
    let lo = 0;
    let hi = 0;
    const melSum = new Float64Array(NUM_MEL);
    let melCount = 0;
    const fromBase = Math.floor(a * BASE_RATE);
    const toBase = Math.max(fromBase + 1, Math.floor(b * BASE_RATE));
    for (let i = fromBase; i < toBase; i++) {
      const chunk = this.chunks.get(chunkKey(video.id, Math.floor(i / BASE_PER_CHUNK)));
      if (!chunk) continue;
      const j = i % BASE_PER_CHUNK;
      lo = Math.min(lo, chunk.min[j]!);
      hi = Math.max(hi, chunk.max[j]!);
      if (j % MEL_STRIDE === 0 || toBase - fromBase < MEL_STRIDE) {
        const row = Math.floor(j / MEL_STRIDE) * NUM_MEL;
        for (let m = 0; m < NUM_MEL; m++) melSum[m] = melSum[m]! + chunk.mel[row + m]!;
        melCount++;
      }
    }
    peaks[2 * c] = Math.max(-1, lo);
    peaks[2 * c + 1] = Math.min(1, hi);
    for (let m = 0; m < NUM_MEL; m++) mel[c * NUM_MEL + m] = melCount === 0 ? 0 : melLevel(melSum[m]! / melCount);
  }

  /** Makes chunks first..last present; true when all were cached already. */
  private async ensure(video: AudioVideo, first: number, last: number): Promise<boolean> {
    const missing: number[] = [];
    for (let k = first; k <= last; k++) {
      const key = chunkKey(video.id, k);
      const hit = this.chunks.get(key);
      if (hit) {
        this.chunks.delete(key);
        this.chunks.set(key, hit);
      } else missing.push(k);
    }
    if (missing.length === 0) return true;
    // One decode per run of consecutive missing chunks; concurrent requests for the same run share it.
    for (let i = 0; i < missing.length;) {
      let j = i;
      while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
      const runKey = `${video.id}/${missing[i]}-${missing[j]}`;
      let job = this.pending.get(runKey);
      if (!job) {
        job = this.decodeRun(video, missing[i]!, missing[j]!).finally(() => this.pending.delete(runKey));
        this.pending.set(runKey, job);
      }
      await job;
      i = j + 1;
    }
    return false;
  }

  private async decodeRun(video: AudioVideo, first: number, last: number): Promise<void> {
    const count = last - first + 1;
    const extra = CHUNK_SAMPLES - CHUNK_SEC * SAMPLE_RATE;
    const wave = await extractAudio(video.file, {
      startSec: first * CHUNK_SEC, durationSec: (count * CHUNK_SEC * SAMPLE_RATE + extra) / SAMPLE_RATE, sampleRate: SAMPLE_RATE, probe: video.probe,
    });
    const per = this.perSecond(video);
    for (let i = 0; i < count; i++) {
      const start = i * CHUNK_SEC * SAMPLE_RATE;
      const chunk = reduceChunk(wave.subarray(start, start + CHUNK_SAMPLES));
      this.chunks.set(chunkKey(video.id, first + i), chunk);
      for (let s = 0; s < CHUNK_SEC; s++) {
        let sum = 0;
        for (let j = s * BASE_RATE; j < (s + 1) * BASE_RATE; j++) sum += chunk.power[j]!;
        const second = (first + i) * CHUNK_SEC + s;
        if (second < per.length) per[second] = 10 * Math.log10(sum / BASE_RATE + 1e-12);
      }
      // Reduction is ~5 ms of CPU per chunk: yield between chunks so the main loop stays responsive.
      await new Promise((resolve) => setImmediate(resolve));
    }
    while (this.chunks.size > CHUNK_CACHE) this.chunks.delete(this.chunks.keys().next().value!);
  }

  private perSecond(video: AudioVideo): Float32Array {
    let per = this.loudness.get(video.id);
    if (!per) {
      per = new Float32Array(Math.ceil(video.probe.durationSec) + CHUNK_SEC).fill(Number.NaN);
      this.loudness.set(video.id, per);
    }
    return per;
  }
}

function chunkKey(videoId: string, chunk: number): string {
  return `${videoId}/${chunk}`;
}

