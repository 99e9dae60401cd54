/**
 * The click-to-mask pointer gesture, as plain functions over screen and raster positions: a press that travels
 * less than DRAG_THRESHOLD_PX screen pixels before release is a click (a point prompt, negative with Shift, Alt
 * or the right button); a longer press-drag-release is a box prompt from the press to the release point. The
 * threshold is in screen pixels so a hand's tremble counts as a click at every zoom.
 */
export const DRAG_THRESHOLD_PX = 4;

export interface Pos { x: number; y: number }
/** A box prompt in raster pixels (the `box` of `assist:click`). */
export interface PromptBox { x0: number; y0: number; x1: number; y1: number }
export interface GestureStart { screen: Pos; raster: Pos; negative: boolean }
export type GestureOutcome =
  | { kind: 'point'; point: { x: number; y: number; positive: boolean } }
  | { kind: 'box'; box: PromptBox };

/** True when the press has moved far enough to be a drag. */
export function isDrag(start: GestureStart, screen: Pos): boolean {
  return Math.hypot(screen.x - start.screen.x, screen.y - start.screen.y) >= DRAG_THRESHOLD_PX;
}

/** The box spanned by two raster points, corners ordered (x0 <= x1, y0 <= y1). */
export function spanBox(a: Pos, b: Pos): PromptBox {
  return { x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y) };
}

/** What a release at `screen` / `raster` means for the gesture that started at `start`. */
export function gestureOutcome(start: GestureStart, screen: Pos, raster: Pos): GestureOutcome {
  if (isDrag(start, screen)) return { kind: 'box', box: spanBox(start.raster, raster) };
  return { kind: 'point', point: { x: start.raster.x, y: start.raster.y, positive: !start.negative } };
}
