/** Dataset stage: the window rule, one writer per layout, merge, import, validation; small PNG/WAV codecs. */
export { clipWindows, clipUid, safeVid, WINDOW_FRAMES, type ClipLabel, type ClipWindow } from './window-rule';
export { chooseSplits, exportPreview, isClipFormat, clipLabel, type PlanVideo } from './export-plan';
export { exportDataset, type DatasetExportOptions } from './export-dataset';
export { mergeDataset, type MergeSummary } from './dataset-merge';
export { detectLayout } from './dataset-layout';
export { importDataset, type ImportResult } from './dataset-import';
export { memorySource, type MemoryVideo, type MemoryFrame } from './memory-source';
export { WRITERS } from './dataset-writers';
export { semanticToRgb } from './avss-writer';
export { DatasetWriteError } from './clip-masks';
export type { ExportSource, ExportVideo, ExportFrame } from './export-source';
export { validateAvssDataset } from './avss-validator';
export { validateDataset } from './dataset-validate';
export { parseMetadataCsv, mergeMetadata, formatMetadataRow, metadataRows, MetadataCsvError, METADATA_HEADER, type MetadataRow, type ParsedMetadata } from './metadata-csv';
export { encodePng, encodePalettePng, decodePng, type PngImage } from './png';
export { encodeWavPcm16, parseWavHeader, pcm16, wavHeader, type WavInfo } from './wav';
export { jpegSize } from './jpeg-size';
