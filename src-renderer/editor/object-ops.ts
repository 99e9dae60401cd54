/**
 * Whole-object and whole-frame operations, each one history entry: new object, rename / change class, reorder,
 * merge, delete, fill holes, copy a mask to other frames, accept or reject a model proposal, approve a frame.
 * Visibility and lock are view-like switches: they change the document but are not undo steps.
 */
import type { ObjectChanges, ProjectObject, ReviewStatus } from '../../src-main/shared/project-model';
import type { Editor } from './editor';
import type { PixelPatch } from './history';
import { fillHoles, objectPixels } from './raster-ops';
import { StrokeWriter } from './stroke-writer';

function cloneObjects(list: readonly ProjectObject[]): ProjectObject[] {
  return list.map((o) => ({ ...o, sounding: [...o.sounding] }));
}

/** Changes the object table as one undo step (or none, for view-like switches). */
function changeObjects(editor: Editor, label: string, next: ProjectObject[], undoable = true): void {
  const doc = editor.doc;
  if (!doc) return;
  const before = cloneObjects(doc.objects);
  doc.setObjects(next);
  if (undoable) editor.record(label, [], { objects: { before, after: cloneObjects(doc.objects) } });
  else editor.emitState();
}

/** Adds an object of `classIndex` on top of the others, selects it and returns its id. */
export function createObject(editor: Editor, classIndex: number, name?: string): number | null {
  const doc = editor.doc;
  if (!doc) return null;
  const id = doc.mintObjectId();
  const z = Math.max(0, ...doc.objects.map((o) => o.z + 1));
  const object: ProjectObject = {
    id, classIndex, visible: true, locked: false, z, sounding: doc.frames.map(() => true), ...(name ? { name } : {}),
  };
  changeObjects(editor, 'New object', [...cloneObjects(doc.objects), object]);
  editor.select(id);
  return id;
}

const VIEW_FIELDS: readonly (keyof ObjectChanges)[] = ['visible', 'locked'];

/** Rename, change class, sounding flags (undoable); visible / locked (not undo steps). */
export function updateObject(editor: Editor, id: number, changes: ObjectChanges): void {
  const doc = editor.doc;
  if (!doc?.object(id)) return;
  const undoable = Object.keys(changes).some((k) => !VIEW_FIELDS.includes(k as keyof ObjectChanges));
  const next = cloneObjects(doc.objects).map((o) => (o.id === id ? { ...o, ...changes } : o));
  if (undoable) {
    changeObjects(editor, 'Change object', next);
  } else {
    doc.setObjects(next);
    if (editor.selected === id && (changes.locked || changes.visible === false)) editor.interrupt();
    editor.emitState();
  }
}

/** New drawing order, bottom to top, as object ids. */
export function reorderObjects(editor: Editor, idsBottomToTop: readonly number[]): void {
  const doc = editor.doc;
  if (!doc) return;
  const rank = new Map(idsBottomToTop.map((id, i) => [id, i]));
  changeObjects(editor, 'Reorder objects', cloneObjects(doc.objects).map((o) => ({ ...o, z: rank.get(o.id) ?? o.z })));
}

/** Rewrites `from`'s pixels to `to` (or 0) on every frame the editor holds; one patch per frame changed. */
function relabel(editor: Editor, from: number, to: number): PixelPatch[] {
  const doc = editor.doc!;
  const patches: PixelPatch[] = [];
  for (let frame = 0; frame < doc.frameCount; frame++) {
    if (!doc.hasRaster(frame)) continue;
    const writer = new StrokeWriter(doc, frame, from);
    for (const i of objectPixels(doc.raster(frame).data, from)) writer.set(i, to);
    patches.push(...writer.commit());
  }
  return patches;
}

/** Deletes an object and its pixels in every frame (undo brings both back). Locked objects are refused. */
export function deleteObject(editor: Editor, id: number): void {
  const doc = editor.doc;
  const object = doc?.object(id);
  if (!doc || !object) return;
  if (object.locked) return editor.notice(`${object.name ?? 'The object'} is locked: unlock it to delete it.`);
  const before = cloneObjects(doc.objects);
  const patches = relabel(editor, id, 0);
  doc.setObjects(before.filter((o) => o.id !== id));
  if (editor.selected === id) editor.select(doc.objects.at(-1)?.id ?? null);
  editor.record('Delete object', [], { patches, objects: { before, after: cloneObjects(doc.objects) } });
}

/** Merges `from` into `into`: its pixels become `into`'s, its sounding seconds are added, then it is removed. */
export function mergeObjects(editor: Editor, into: number, from: number): void {
  const doc = editor.doc;
  const a = doc?.object(into), b = doc?.object(from);
  if (!doc || !a || !b || into === from) return;
  if (a.locked || b.locked) return editor.notice('Locked objects cannot be merged.');
  const before = cloneObjects(doc.objects);
  const patches = relabel(editor, from, into);
  const sounding = a.sounding.map((s, i) => s || (b.sounding[i] ?? false));
  doc.setObjects(before.filter((o) => o.id !== from).map((o) => (o.id === into ? { ...o, sounding } : o)));
  editor.select(into);
  editor.record('Merge objects', [], { patches, objects: { before, after: cloneObjects(doc.objects) } });
}

function selectedPaintable(editor: Editor): number | null {
  const id = editor.selected;
  const object = id === null ? undefined : editor.doc?.object(id);
  if (!object) { editor.notice('Select an object first.'); return null; }
  if (object.locked || !object.visible) { editor.notice('The selected object is locked or hidden.'); return null; }
  return object.id;
}

/** Fills the holes of the selected object on the current frame. */
export function fillObjectHoles(editor: Editor): void {
  const doc = editor.doc;
  const id = selectedPaintable(editor);
  if (!doc || id === null) return;
  const writer = new StrokeWriter(doc, editor.frame, id, editor.settings.exclusive);
  fillHoles(writer, doc.raster(editor.frame).data, doc.width, doc.height);
  editor.record('Fill holes', writer.commit());
}

/**
 * Makes the selected object's mask on each frame of `frames` equal to its mask on the current frame (under the
 * painting rule: locked and hidden objects keep their pixels). One entry; undo returns to the first target.
 */
export function copyMaskTo(editor: Editor, frames: readonly number[]): void {
  const doc = editor.doc;
  const id = selectedPaintable(editor);
  if (!doc || id === null) return;
  const source = objectPixels(doc.raster(editor.frame).data, id);
  const targets = frames.filter((f) => f !== editor.frame && f >= 0 && f < doc.frameCount);
  const patches: PixelPatch[] = [];
  for (const frame of targets) {
    const writer = new StrokeWriter(doc, frame, id, editor.settings.exclusive);
    for (const i of objectPixels(doc.raster(frame).data, id)) writer.set(i, 0);
    for (const i of source) writer.apply(i, 'add');
    patches.push(...writer.commit());
  }
  if (patches.length === 0) return;
  editor.history.push({ label: `Copy mask to ${targets.length} frame(s)`, frame: targets[0]!, patches });
  editor.emitState();
}

/** A model's suggestion for one object on one frame (e.g. click-to-mask): 1 = the object, row-major, video size. */
export interface Proposal {
  objectId: number;
  frame: number;
  mask: Uint8Array;
}

/** Accepting replaces the object's pixels on that frame with the proposal (one entry). Rejecting changes nothing. */
export function acceptProposal(editor: Editor, proposal: Proposal): void {
  const doc = editor.doc;
  const object = doc?.object(proposal.objectId);
  if (!doc || !object) return;
  if (object.locked || !object.visible) return editor.notice('The proposal\'s object is locked or hidden.');
  if (proposal.mask.length !== doc.width * doc.height) return editor.notice('The proposal does not match the video size.');
  editor.setFrame(proposal.frame);
  const writer = new StrokeWriter(doc, proposal.frame, object.id, editor.settings.exclusive);
  const ids = doc.raster(proposal.frame).data;
  for (let i = 0; i < ids.length; i++) {
    if (proposal.mask[i]) writer.apply(i, 'add');
    else if (ids[i] === object.id) writer.set(i, 0);
  }
  editor.record('Accept proposal', writer.commit());
}

/** Sets a frame's review state as one undo step. */
export function setReview(editor: Editor, frame: number, review: ReviewStatus): void {
  const doc = editor.doc;
  const state = doc?.frames[frame];
  if (!doc || !state || state.review === review) return;
  doc.setReview(frame, review);
  editor.history.push({ label: review === 'approved' ? 'Approve frame' : 'Review', frame, patches: [], reviews: [{ frame, before: state.review, after: review }] });
  editor.emitState();
}

/** The first frame after `from` (wrapping) that is not approved, or null when all are. */
export function nextUnreviewed(editor: Editor, from = editor.frame): number | null {
  const frames = editor.doc?.frames ?? [];
  for (let k = 1; k <= frames.length; k++) {
    const f = (from + k) % frames.length;
    if (frames[f]!.review !== 'approved') return f;
  }
  return null;
}
