/**
 * Zoom and pan of the frame view: screen = raster * scale + offset. View changes are never undo steps.
 * Zooming keeps the raster point under the cursor (or the box centre) where it is.
 */
export const MIN_SCALE = 0.05;
export const MAX_SCALE = 64;

export interface ViewState {
  scale: number;
  x: number;
  y: number;
  /** Follows the box size (fit) until the user zooms or pans. */
  fitted: boolean;
}

export function fitView(boxW: number, boxH: number, w: number, h: number): ViewState {
  if (!boxW || !boxH || !w || !h) return { scale: 1, x: 0, y: 0, fitted: true };
  const scale = Math.min(boxW / w, boxH / h);
  return { scale, x: (boxW - w * scale) / 2, y: (boxH - h * scale) / 2, fitted: true };
}

export function zoomView(view: ViewState, factor: number, ax: number, ay: number): ViewState {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const k = scale / view.scale;
  return { scale, x: ax - (ax - view.x) * k, y: ay - (ay - view.y) * k, fitted: false };
}

export function toRaster(view: ViewState, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale };
}
