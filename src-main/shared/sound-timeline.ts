/**
 * The sound-event timeline's edits: an object's mask says where it is; its `sounding` flag per second says when
 * it is heard. Setting a run of cells is one `object:update` edit of the whole flag array (one undo step per
 * click or drag). Pure TS, shared by the timeline component and its tests.
 */
import type { Edit, ProjectObject } from './project-model';

/** `sounding` with seconds [from, to] (inclusive, either order) set to `value`, padded to `seconds` entries. */
export function setSounding(sounding: readonly boolean[], seconds: number, from: number, to: number, value: boolean): boolean[] {
  const out = Array.from({ length: Math.max(seconds, sounding.length) }, (_, s) => sounding[s] === true);
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.min(out.length - 1, Math.max(from, to));
  for (let s = lo; s <= hi; s++) out[s] = value;
  return out;
}

/** The edit a click (from = to) or a drag over a row makes; null when nothing would change. */
export function soundingEdit(videoId: string, object: ProjectObject, seconds: number, from: number, to: number, value: boolean): Edit | null {
  const next = setSounding(object.sounding, seconds, from, to, value);
  if (next.length === object.sounding.length && next.every((v, s) => v === object.sounding[s])) return null;
  return { op: 'object:update', videoId, objectId: object.id, changes: { sounding: next } };
}
