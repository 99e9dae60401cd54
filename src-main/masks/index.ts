/** Mask stage: logits -> class-index masks at display size, with per-class layer stats. */
export { logitsToMask, logitsToMasks, classesPresent, type ClassMask, type LogitsShape, type MaskOptions } from './logits-to-mask';
export { maskLayerStats, type LayerStats, type Bbox } from './layer-stats';
export { bilinearTaps, resizeBilinear } from './resize';
