/** Feature stage: VGGish log-mel front end (parity-tested against models/ccformer/audio/logmel.py). */
export { logMelExamples, logMelSpectrogram, numExamples, numFrames, type LogMelExamples } from './logmel';
export { clipAudio, type AudioPad, type ClipAudio } from './clip-audio';
export { RealFft } from './fft';
export * as melParams from './mel';
