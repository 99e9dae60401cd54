/** Dataset stage: AVSS export (atomic, merge-safe) and validation; small PNG/WAV codecs. */
export { exportAvssClips, clipUid, semanticToRgb, AvssExportError, type AvssClip, type AvssExportResult, type AvssLabel } from './avss-writer';
export { validateAvssDataset } from './avss-validator';
export { parseMetadataCsv, mergeMetadata, formatMetadataRow, metadataRows, MetadataCsvError, METADATA_HEADER, type MetadataRow, type ParsedMetadata } from './metadata-csv';
export { encodePng, decodePng, type PngImage } from './png';
export { encodeWavPcm16, parseWavHeader, pcm16, wavHeader, type WavInfo } from './wav';
export { jpegSize } from './jpeg-size';
export { DatasetTransaction, diskFullMessage, isTransactionEntry, type BeginOptions, type CommitOptions, type CommitResult, type FileMerge } from './dataset-transaction';
export { DatasetLock, LOCK_FILE } from './dataset-lock';
export { stageAvssClip, commitAvss, checkAvssDatasetFolder, estimateClipBytes } from './avss-writer';
