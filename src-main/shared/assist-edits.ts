/**
 * Turning an assisted mask into document edits, shared by the renderer and its tests. Pure TS.
 *  - maskEdit: the selected object gets exactly the mask's pixels on that frame: one `pixels` edit over the
 *    bounding box of (old pixels of the object) + (new mask), which sets the object inside the mask and clears
 *    it outside. Pixels of locked objects are never taken (the editor's painting rule).
 *  - propagationPlan: which target frames may be written freely, and which the annotator edited or approved
 *    (written only after asking).
 */
import type { Edit, FrameState, ObjectRaster, ProjectObject } from './project-model';

export function maskEdit(
  videoId: string, frame: number, raster: ObjectRaster, mask: Uint8Array, objectId: number, objects: readonly ProjectObject[],
): Edit | null {
  const { width, height, data } = raster;
  if (mask.length !== data.length) throw new RangeError(`mask holds ${mask.length} pixels, the frame ${data.length}`);
  const locked = new Set(objects.filter((o) => o.locked && o.id !== objectId).map((o) => o.id));
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i] || data[i] === objectId) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const rect = { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
  const after = new Uint16Array(rect.w * rect.h);
  let changed = false;
  for (let y = 0; y < rect.h; y++) {
    for (let x = 0; x < rect.w; x++) {
      const i = (rect.y + y) * width + rect.x + x;
      const old = data[i]!;
      let next = old;
      if (mask[i] && !locked.has(old)) next = objectId;
      else if (!mask[i] && old === objectId) next = 0;
      after[y * rect.w + x] = next;
      if (next !== old) changed = true;
    }
  }
  return changed ? { op: 'pixels', videoId, frame, rect, after } : null;
}

export function propagationPlan(frames: readonly FrameState[], targets: readonly number[]): { free: number[]; protected: number[] } {
  const free: number[] = [];
  const kept: number[] = [];
  for (const k of targets) {
    const review = frames[k]?.review ?? 'unreviewed';
    (review === 'unreviewed' ? free : kept).push(k);
  }
  return { free, protected: kept };
}
