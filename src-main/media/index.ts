/** Media stage: probe, sample, decode frames and audio with ffmpeg (plain Node; no Electron). */
export { resolveFfmpeg, resolveBinary, FfmpegNotFoundError, type FfmpegBinaries, type ResolvedBinary, type BinarySource } from './ffmpeg-binaries';
export { probeVideo, displayRotation, displayOrientation, orientationFilters, type VideoProbe } from './probe';
export { frameSampleTimes, frameIndexAt, SAMPLE_PHASE, type SampleOptions } from './sampling';
export { streamFrames, type FrameStreamOptions, type FramePick, type FrameSink } from './frames';
export { writeFrameJpegs, type JpegOptions } from './jpegs';
export { extractAudio, type AudioRange } from './audio';
export { MediaError } from './run-tool';
export { convertStills, type StillConversion } from './still-images';
