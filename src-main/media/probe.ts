/**
 * ffprobe wrapper: the facts the pipeline needs about a video, with display geometry already resolved
 * (rotation and mirroring from the display matrix or the legacy `rotate` tag, non-square pixels), and one-line errors that
 * name the file (missing, not a video, unreadable) because users see them verbatim.
 */
import { FileStepError } from '../util/fs-errors';
import { checkRegularFile } from '../util/regular-file';
import { resolveFfmpeg } from './ffmpeg-binaries';
import { MediaError, runTool } from './run-tool';

export interface VideoProbe {
  file: string;
  /** Video duration in seconds, measured from the first video frame (the app's time origin). */
  durationSec: number;
  /** Average frame rate (frames / duration); the closest thing to "fps" for variable-rate files. */
  fps: number;
  avgFps: number;
  /** ffprobe's r_frame_rate: the lowest rate that represents all timestamps (the base rate for VFR). */
  rFps: number;
  /** Decoded (stored) size, before rotation. */
  codedWidth: number;
  codedHeight: number;
  /** Display size: rotation and sample aspect ratio applied. This is the size masks and exports use. */
  width: number;
  height: number;
  /** Clockwise rotation applied for display, as ffmpeg's autorotate does: 0, 90, 180 or 270. */
  rotation: 0 | 90 | 180 | 270;
  /** The display matrix mirrors the picture: after `rotation`, it is flipped left-right (see orientationFilters). */
  mirrored: boolean;
  hasAudio: boolean;
  /** Presentation time (s) of the first video frame in the file's timeline; times elsewhere are relative to it. */
  startSec: number;
  /** Start of the first audio sample in the file's timeline (s), when there is audio. */
  audioStartSec?: number;
  /** Format-level start (the origin ffmpeg's `-ss` counts from). */
  formatStartSec: number;
  codec: string;
  audioCodec?: string;
  /** Frame count when the container states it. */
  frameCount?: number;
}

export interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  start_time?: string;
  duration?: string;
  nb_frames?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number; displaymatrix?: string }[];
  disposition?: { attached_pic?: number };
}

interface ProbeJson {
  streams?: ProbeStream[];
  format?: { start_time?: string; duration?: string };
}

function rational(text: string | undefined): number {
  if (!text) return NaN;
  const [num, den] = text.split(/[/:]/).map(Number);
  if (num === undefined || !Number.isFinite(num)) return NaN;
  if (den === undefined) return num;
  return den === 0 ? NaN : num / den;
}

function seconds(text: string | undefined): number {
  const v = Number(text);
  return text !== undefined && Number.isFinite(v) ? v : NaN;
}

/**
 * The display matrix's 2x2 part [a b; c d] (ffmpeg row order: x' = a x + c y, y' = b x + d y, y pointing down),
 * read from ffprobe's hex-dump text (three rows "0000000N: m0 m1 m2"); null when absent or unreadable.
 */
export function displayMatrix(text: string | undefined): { a: number; b: number; c: number; d: number } | null {
  if (!text) return null;
  const values = text.split('\n').filter((l) => l.includes(':')).flatMap((l) => l.slice(l.indexOf(':') + 1).trim().split(/\s+/).map(Number));
  if (values.length !== 9 || values.some((n) => !Number.isFinite(n))) return null;
  return { a: values[0]!, b: values[1]!, c: values[3]!, d: values[4]! };
}

const QUARTERS = [0, 90, 180, 270] as const;
const quarterOf = (degrees: number): 0 | 90 | 180 | 270 => QUARTERS[((Math.round(degrees / 90) % 4) + 4) % 4]!;

/**
 * Clockwise display rotation and mirroring. Every display matrix of quarter turns and flips is a rotation R,
 * optionally followed by a left-right flip H = diag(-1, 1); a negative determinant says the flip is there, and
 * then H * M = [-a -c; b d] is the rotation. ffprobe's "rotation" alone is counter-clockwise and blind to flips
 * (an h-flipped matrix reads as 180); the legacy `rotate` tag (old muxers and ffprobe builds) is clockwise.
 */
export function displayOrientation(stream: Pick<ProbeStream, 'side_data_list' | 'tags'>): { rotation: 0 | 90 | 180 | 270; mirrored: boolean } {
  const side = stream.side_data_list?.find((d) => typeof d.rotation === 'number' || d.displaymatrix !== undefined);
  const m = displayMatrix(side?.displaymatrix);
  if (m) {
    const mirrored = m.a * m.d - m.b * m.c < 0;
    return { rotation: quarterOf((Math.atan2(m.b, mirrored ? -m.a : m.a) * 180) / Math.PI), mirrored };
  }
  const tag = rational(stream.tags?.['rotate']);
  const cw = side?.rotation !== undefined ? -side.rotation : Number.isFinite(tag) ? tag : 0;
  return { rotation: quarterOf(cw), mirrored: false };
}

/** Clockwise display rotation (see displayOrientation). */
export function displayRotation(stream: ProbeStream): 0 | 90 | 180 | 270 {
  return displayOrientation(stream).rotation;
}

/**
 * ffmpeg filters that turn decoded frames into displayed ones. Decoding runs with -noautorotate and these
 * instead: ffmpeg 5.1's autorotate ignores flips and later builds apply them, so only our own filters make every
 * build show the same picture as players do.
 */
export function orientationFilters(probe: Pick<VideoProbe, 'rotation' | 'mirrored'>): string[] {
  const turned: Record<VideoProbe['rotation'], [string[], string[]]> = {
    0: [[], ['hflip']],
    90: [['transpose=clock'], ['transpose=cclock_flip']],
    180: [['hflip', 'vflip'], ['vflip']],
    270: [['transpose=cclock'], ['transpose=clock_flip']],
  };
  return turned[probe.rotation][probe.mirrored ? 1 : 0];
}

async function checkReadable(file: string): Promise<void> {
  let size: number;
  try {
    size = await checkRegularFile(file, 'video');
  } catch (err) {
    if (err instanceof FileStepError) throw new MediaError(file, err.message.slice(file.length + 2));
    throw err;
  }
  if (size === 0) throw new MediaError(file, 'is empty, not a video');
}

/** Probes `file`; throws MediaError with a one-line reason naming the file. */
export async function probeVideo(file: string, signal?: AbortSignal): Promise<VideoProbe> {
  await checkReadable(file);
  const { ffprobe } = resolveFfmpeg();
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
  let json: ProbeJson;
  try {
    json = JSON.parse((await runTool(ffprobe, args, file, signal)).toString('utf8')) as ProbeJson;
  } catch (err) {
    if (err instanceof MediaError) throw new MediaError(file, `not a readable video (${err.message.slice(file.length + 2)})`);
    throw err;
  }
  const streams = json.streams ?? [];
  // Cover art is a "video" stream with one frame; it is not the video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video || !video.width || !video.height) throw new MediaError(file, 'not a video (no video stream)');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const formatStart = Number.isFinite(seconds(json.format?.start_time)) ? seconds(json.format?.start_time) : 0;
  const start = Number.isFinite(seconds(video.start_time)) ? seconds(video.start_time) : formatStart;
  let duration = seconds(video.duration);
  if (!Number.isFinite(duration)) duration = seconds(json.format?.duration) - (start - formatStart);
  if (!Number.isFinite(duration) || duration <= 0) throw new MediaError(file, 'not a video (unknown or zero duration)');
  const avgFps = rational(video.avg_frame_rate);
  const rFps = rational(video.r_frame_rate);
  const fps = Number.isFinite(avgFps) && avgFps > 0 ? avgFps : Number.isFinite(rFps) && rFps > 0 ? rFps : 25;
  const { rotation, mirrored } = displayOrientation(video);
  const sar = rational(video.sample_aspect_ratio);
  // Non-square pixels: display width = stored width * SAR (height kept), as players show it.
  const sarWidth = Number.isFinite(sar) && sar > 0 ? Math.max(1, Math.round(video.width * sar)) : video.width;
  const sideways = rotation === 90 || rotation === 270;
  const audioStart = seconds(audio?.start_time);
  const frames = Number(video.nb_frames);
  return {
    file,
    durationSec: duration,
    fps,
    avgFps: Number.isFinite(avgFps) ? avgFps : fps,
    rFps: Number.isFinite(rFps) ? rFps : fps,
    codedWidth: video.width,
    codedHeight: video.height,
    width: sideways ? video.height : sarWidth,
    height: sideways ? sarWidth : video.height,
    rotation,
    mirrored,
    hasAudio: audio !== undefined,
    startSec: start,
    ...(audio && Number.isFinite(audioStart) ? { audioStartSec: audioStart } : {}),
    formatStartSec: formatStart,
    codec: video.codec_name ?? 'unknown',
    ...(audio?.codec_name ? { audioCodec: audio.codec_name } : {}),
    ...(Number.isInteger(frames) && frames > 0 ? { frameCount: frames } : {}),
  };
}
