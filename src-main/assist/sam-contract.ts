/**
 * The click-to-mask model contract (docs/assist-model-contract.md): a SAM-style pair of ONNX graphs.
 *   encoder: input  "input" float32 [1,3,1024,1024]  RGB, longest side scaled to 1024, top-left aligned,
 *                   zero-padded, normalised (x - mean) / std with SAM's pixel mean/std (0-255 scale)
 *            output (first output) float32 [1,256,64,64]  image embedding
 *   decoder: the segment-anything `SamOnnxModel` export (return_single_mask):
 *            image_embeddings [1,256,64,64], point_coords [1,N,2] (encoder-input pixels), point_labels [1,N]
 *            (1 positive, 0 negative, 2/3 box corners, -1 padding), mask_input [1,1,256,256] (low-res logits),
 *            has_mask_input [1], orig_im_size [2] = (H, W)
 *            -> masks [1,1,H,W] logits (> 0 = inside), iou_predictions [1,1], low_res_masks [1,1,256,256]
 * This file holds the numbers and the pure pre/post-processing, so tests and the worker share them.
 */
export const SAM_INPUT_SIZE = 1024;
export const SAM_LOW_RES = 256;
export const SAM_EMBEDDING_DIMS = [1, 256, 64, 64] as const;
export const SAM_PIXEL_MEAN = [123.675, 116.28, 103.53] as const;
export const SAM_PIXEL_STD = [58.395, 57.12, 57.375] as const;
export const ENCODER_INPUT = 'input';
export const DECODER_INPUTS = ['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size'] as const;
export const DECODER_OUTPUT_MASKS = 'masks';
export const DECODER_OUTPUT_SCORE = 'iou_predictions';
export const DECODER_OUTPUT_LOW_RES = 'low_res_masks';

/** A click in display pixels of the frame. */
export interface PromptPoint {
  x: number;
  y: number;
  positive: boolean;
}

/** A box in display pixels (x0,y0 top-left, x1,y1 bottom-right). */
export interface PromptBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Size the encoder sees: the frame scaled so its longest side is 1024 (the rest is padding). */
export function encoderSize(width: number, height: number): { width: number; height: number; scale: number } {
  const scale = SAM_INPUT_SIZE / Math.max(width, height);
  return { width: Math.round(width * scale), height: Math.round(height * scale), scale };
}

/** Packed RGB (already at encoderSize) -> the normalised, zero-padded [1,3,1024,1024] encoder input. */
export function encoderInput(rgb: Uint8Array, width: number, height: number): Float32Array {
  if (width > SAM_INPUT_SIZE || height > SAM_INPUT_SIZE) throw new RangeError(`encoder image ${width}x${height} is larger than ${SAM_INPUT_SIZE}`);
  const plane = SAM_INPUT_SIZE * SAM_INPUT_SIZE;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = SAM_PIXEL_MEAN[c]!;
    const inv = 1 / SAM_PIXEL_STD[c]!;
    for (let y = 0; y < height; y++) {
      const row = c * plane + y * SAM_INPUT_SIZE;
      for (let x = 0; x < width; x++) out[row + x] = (rgb[(y * width + x) * 3 + c]! - mean) * inv;
    }
  }
  return out;
}

export interface PromptTensors {
  coords: Float32Array;
  labels: Float32Array;
  count: number;
}

/**
 * Points and box (display pixels) -> decoder point_coords / point_labels (encoder-input pixels). SAM's export
 * expects a padding point (label -1) when there is no box, as segment-anything's predictor adds it.
 */
export function promptTensors(points: readonly PromptPoint[], box: PromptBox | undefined, scale: number): PromptTensors {
  const entries: [number, number, number][] = points.map((p) => [p.x * scale, p.y * scale, p.positive ? 1 : 0]);
  if (box) {
    entries.push([Math.min(box.x0, box.x1) * scale, Math.min(box.y0, box.y1) * scale, 2]);
    entries.push([Math.max(box.x0, box.x1) * scale, Math.max(box.y0, box.y1) * scale, 3]);
  } else {
    entries.push([0, 0, -1]);
  }
  const coords = new Float32Array(entries.length * 2);
  const labels = new Float32Array(entries.length);
  entries.forEach(([x, y, label], i) => {
    coords[2 * i] = x;
    coords[2 * i + 1] = y;
    labels[i] = label;
  });
  return { coords, labels, count: entries.length };
}

/** Logit given to the previous mask's inside/outside when it is fed back as mask_input. */
export const MASK_INPUT_LOGIT = 8;

/**
 * A binary mask at display size -> low-res logits [256*256] in the decoder's frame: the 256x256 grid covers the
 * padded 1024 square, so the image occupies its top-left (encoderSize / 4); padding is outside (-logit).
 */
export function maskToLowRes(bits: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(SAM_LOW_RES * SAM_LOW_RES).fill(-MASK_INPUT_LOGIT);
  const { scale } = encoderSize(width, height);
  const cell = SAM_INPUT_SIZE / SAM_LOW_RES / scale; // display pixels per low-res cell
  const cols = Math.min(SAM_LOW_RES, Math.ceil(width / cell));
  const rows = Math.min(SAM_LOW_RES, Math.ceil(height / cell));
  for (let gy = 0; gy < rows; gy++) {
    const y = Math.min(height - 1, Math.floor((gy + 0.5) * cell));
    for (let gx = 0; gx < cols; gx++) {
      const x = Math.min(width - 1, Math.floor((gx + 0.5) * cell));
      out[gy * SAM_LOW_RES + gx] = bits[y * width + x] ? MASK_INPUT_LOGIT : -MASK_INPUT_LOGIT;
    }
  }
  return out;
}
