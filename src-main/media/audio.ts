/**
 * extractAudio: a time range of the soundtrack as 16 kHz (or any rate) mono float32 in [-1, 1], as the VGGish
 * front end expects. Times are relative to the first video frame (the app's time origin), so audio windows line
 * up with sampled frames even when the audio track starts earlier or later than the video.
 * Always returns exactly round(durationSec * sampleRate) samples: zeros where there is no audio (no track,
 * before the track starts, past its end), so downstream shapes never depend on the file.
 */
import { resolveFfmpeg } from './ffmpeg-binaries';
import { probeVideo, type VideoProbe } from './probe';
import { lastErrorLine, MediaError, startTool } from './run-tool';
import { CancelledError } from '../util/abort';

export interface AudioRange {
  startSec: number;
  durationSec: number;
  sampleRate?: number;
  probe?: VideoProbe;
  signal?: AbortSignal;
  /** Told how many samples really came from the file (the rest are zeros): a short count means the audio ended. */
  onDecoded?: (samples: number) => void;
}

export async function extractAudio(file: string, range: AudioRange): Promise<Float32Array> {
  const rate = range.sampleRate ?? 16000;
  if (!(range.durationSec >= 0) || !Number.isFinite(range.durationSec)) {
    throw new RangeError(`audio duration must be >= 0, got ${range.durationSec}`);
  }
  const total = Math.round(range.durationSec * rate);
  const out = new Float32Array(total);
  const probe = range.probe ?? (await probeVideo(file, range.signal));
  if (!probe.hasAudio || total === 0) {
    range.onDecoded?.(0);
    return out;
  }
  // Absolute times in the file's timeline; ffmpeg's -ss counts from the format start.
  const absStart = probe.startSec + range.startSec;
  const audioStart = probe.audioStartSec ?? probe.formatStartSec;
  const lead = Math.max(0, Math.round((audioStart - absStart) * rate));
  if (lead >= total) {
    range.onDecoded?.(total); // the range lies before the track starts: silence by design, not an early end
    return out;
  }
  const from = Math.max(absStart, audioStart) - probe.formatStartSec;
  const want = total - lead;
  const args = [
    '-hide_banner', '-nostats', '-v', 'error', '-ss', Math.max(0, from).toFixed(6), '-i', file,
    '-t', (want / rate).toFixed(6), '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(rate), '-f', 'f32le', 'pipe:1',
  ];
  const tool = startTool(resolveFfmpeg().ffmpeg, args, range.signal ? { signal: range.signal } : {});
  // f32le is the native layout on every platform Electron ships for (little-endian): copy bytes straight in.
  const bytes = new Uint8Array(out.buffer, lead * 4, want * 4);
  let written = 0;
  try {
    for await (const chunk of tool.child.stdout as AsyncIterable<Buffer>) {
      const n = Math.min(chunk.length, bytes.length - written);
      bytes.set(chunk.subarray(0, n), written);
      written += n;
      if (written >= bytes.length) break;
    }
    if (written < bytes.length) {
      const code = await tool.exited;
      if (tool.killed()) throw new CancelledError();
      if (code !== 0) throw new MediaError(file, `cannot decode audio (${lastErrorLine(tool.stderrTail())})`);
    }
  } finally {
    tool.kill();
    await tool.exited.catch(() => undefined);
  }
  if (range.signal?.aborted) throw new CancelledError();
  // A partial trailing float (never expected) would be garbage: clear it.
  const whole = Math.floor(written / 4);
  if (written % 4 !== 0) out[lead + whole] = 0;
  range.onDecoded?.(lead + whole);
  return out;
}
