import { describe, expect, it } from 'vitest';
import type { Edit } from '../../../src-main/shared/project-model';
import {
  copyMaskTo, createObject, deleteObject, mergeObjects, nextUnreviewed, setReview, updateObject,
} from '../../../src-renderer/editor/object-ops';
import { History } from '../../../src-renderer/editor/history';
import { count, makeEditor, object, rows, setBlock } from './fixture';

function stroke(editor: ReturnType<typeof makeEditor>['editor'], from: [number, number], to: [number, number]): void {
  editor.pointerDown({ x: from[0], y: from[1] });
  editor.pointerMove({ x: to[0], y: to[1] });
  editor.pointerUp({ x: to[0], y: to[1] });
}

describe('undo / redo', () => {
  it('undoes and redoes across tools and frames, jumping to the frame each entry changed', () => {
    const { editor, doc } = makeEditor({ width: 10, height: 4 });
    editor.select(1);
    editor.setBrushSize(1);
    stroke(editor, [0.5, 0.5], [9.5, 0.5]); // frame 0, brush
    editor.setFrame(2);
    editor.setTool('polygon');
    for (const p of [{ x: 0, y: 1 }, { x: 5, y: 1 }, { x: 5, y: 3 }, { x: 0, y: 3 }]) editor.pointerDown(p);
    editor.toolKey('Enter'); // frame 2, polygon
    editor.setTool('eraser');
    editor.setFrame(0);
    stroke(editor, [0.5, 0.5], [4.5, 0.5]); // frame 0, eraser
    const after0 = rows(doc, 0), after2 = rows(doc, 2);
    expect(after0[0]).toBe('.....11111');
    expect(count(doc, 1, 2)).toBe(10);

    editor.setFrame(3);
    expect(editor.undo()?.label).toBe('Erase');
    expect(editor.frame).toBe(0);
    expect(rows(doc, 0)[0]).toBe('1111111111');
    expect(editor.undo()?.label).toBe('Polygon add');
    expect(editor.frame).toBe(2);
    expect(count(doc, 1, 2)).toBe(0);
    expect(editor.undo()?.label).toBe('Brush stroke');
    expect(count(doc, 1, 0)).toBe(0);
    expect(editor.undo()).toBeNull();

    editor.redo();
    editor.redo();
    editor.redo();
    expect(rows(doc, 0)).toEqual(after0);
    expect(rows(doc, 2)).toEqual(after2);
    expect(editor.redo()).toBeNull();
  });

  it('a new action clears the redo stack; view changes (frame, tool, zoom) are not entries', () => {
    const { editor } = makeEditor({ width: 6, height: 2 });
    editor.select(1);
    stroke(editor, [1, 1], [4, 1]);
    editor.setFrame(1);
    editor.setTool('eraser');
    editor.setBrushSize(9);
    editor.pixelsPerScreenPixel = 0.5;
    updateObject(editor, 2, { visible: false });
    expect(editor.history.undoCount).toBe(1);
    editor.undo();
    expect(editor.history.canRedo).toBe(true);
    editor.setTool('brush');
    stroke(editor, [1, 1], [2, 1]);
    expect(editor.history.canRedo).toBe(false);
  });

  it('is unlimited in count and capped in bytes: the oldest entries go first', () => {
    const { editor } = makeEditor({ width: 100, height: 100, historyBytes: 20_000 });
    editor.select(1);
    editor.setBrushSize(11); // 97 px disc in an 11x11 patch: 2 * 121 * 2 bytes + overhead per stroke
    for (let i = 0; i < 200; i++) stroke(editor, [10 + (i % 80), 10 + (i % 7)], [10 + (i % 80), 10 + (i % 7)]);
    expect(editor.history.bytes).toBeLessThanOrEqual(20_000);
    expect(editor.history.undoCount).toBeGreaterThan(20);
    expect(editor.history.undoCount).toBeLessThan(200);
    const unbounded = new History(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 5000; i++) unbounded.push({ label: 'x', frame: 0, patches: [] , reviews: [{ frame: 0, before: 'unreviewed', after: 'approved' }] });
    expect(unbounded.undoCount).toBe(5000);
  });

  it('patches are dirty rectangles, not whole frames', () => {
    const { editor } = makeEditor({ width: 1920, height: 1080 });
    editor.select(1);
    editor.setBrushSize(20);
    stroke(editor, [100, 100], [300, 120]);
    const bytes = editor.history.bytes;
    expect(bytes).toBeLessThan(2 * 2 * 221 * 41 + 200);
    expect(bytes).toBeLessThan(1920 * 1080 * 2);
  });
});

describe('object operations', () => {
  it('new object, rename, change class, delete and merge are undoable; pixels come back on undo', () => {
    const { editor, doc } = makeEditor({ width: 4, height: 1 });
    doc.raster(0).data.set([1, 1, 2, 0]);
    doc.raster(1).data.set([2, 0, 0, 0]);
    const id = createObject(editor, 17, 'dog')!;
    expect(doc.object(id)).toMatchObject({ classIndex: 17, name: 'dog', visible: true, locked: false });
    expect(editor.selected).toBe(id);
    updateObject(editor, id, { name: 'puppy', classIndex: 12 });
    expect(doc.object(id)).toMatchObject({ name: 'puppy', classIndex: 12 });
    deleteObject(editor, 2);
    expect(rows(doc, 0)).toEqual(['11..']);
    expect(rows(doc, 1)).toEqual(['....']);
    editor.undo();
    expect(doc.object(2)).toBeDefined();
    expect(rows(doc, 0)).toEqual(['112.']);
    expect(rows(doc, 1)).toEqual(['2...']);
    mergeObjects(editor, 1, 2);
    expect(doc.object(2)).toBeUndefined();
    expect(rows(doc, 0)).toEqual(['111.']);
    expect(rows(doc, 1)).toEqual(['1...']);
    editor.undo();
    editor.undo();
    expect(doc.object(id)).toMatchObject({ name: 'dog', classIndex: 17 });
    editor.undo();
    expect(doc.object(id)).toBeUndefined();
  });

  it('locked objects are never changed: not deleted, merged, painted over or copied over', () => {
    const { editor, doc } = makeEditor({ width: 4, height: 1, objects: [object(1), object(2, { locked: true })] });
    doc.raster(0).data.set([1, 1, 0, 0]);
    doc.raster(1).data.set([2, 2, 2, 2]);
    deleteObject(editor, 2);
    mergeObjects(editor, 1, 2);
    expect(doc.object(2)).toBeDefined();
    editor.select(1);
    copyMaskTo(editor, [1]);
    expect(rows(doc, 1)).toEqual(['2222']);
  });

  it('copies the selected object\'s mask to the next / previous frames or a range, one entry', () => {
    const { editor, doc } = makeEditor({ width: 5, height: 1 });
    doc.raster(0).data.set([1, 1, 0, 0, 0]);
    doc.raster(1).data.set([0, 0, 1, 2, 0]);
    editor.select(1);
    copyMaskTo(editor, [1, 2, 3]);
    expect(rows(doc, 1)).toEqual(['11.2.']);
    expect(rows(doc, 2)).toEqual(['11...']);
    expect(rows(doc, 3)).toEqual(['11...']);
    expect(editor.history.undoCount).toBe(1);
    editor.undo();
    expect(editor.frame).toBe(1);
    expect(rows(doc, 1)).toEqual(['..12.']);
    expect(rows(doc, 3)).toEqual(['.....']);
  });

  it('approve is a review change (undoable); an edit on an approved frame makes it "edited"; next unreviewed wraps', () => {
    const { editor, doc } = makeEditor({ width: 3, height: 1, frames: 3 });
    setReview(editor, 0, 'approved');
    setReview(editor, 2, 'approved');
    expect(doc.frames.map((f) => f.review)).toEqual(['approved', 'unreviewed', 'approved']);
    expect(nextUnreviewed(editor, 2)).toBe(1);
    editor.select(1);
    stroke(editor, [0.5, 0.5], [0.5, 0.5]);
    expect(doc.frames[0]!.review).toBe('edited');
    expect(doc.frames[0]!.revision).toBe(1);
    setReview(editor, 1, 'approved');
    setReview(editor, 0, 'approved');
    expect(nextUnreviewed(editor)).toBeNull();
    editor.undo();
    expect(doc.frames[0]!.review).toBe('edited');
  });

  it('the document sends each committed change as a project-model Edit, and dirty frames are never evicted', () => {
    const { editor, doc } = makeEditor({ width: 4, height: 2 });
    const edits: Edit[] = [];
    doc.on('edit', (e) => edits.push(e));
    editor.select(1);
    editor.setBrushSize(1);
    stroke(editor, [0.5, 0.5], [2.5, 0.5]);
    expect(edits).toHaveLength(1);
    const edit = edits[0]!;
    expect(edit.op).toBe('pixels');
    if (edit.op === 'pixels') {
      expect(edit.rect).toEqual({ x: 0, y: 0, w: 3, h: 1 });
      expect([...edit.after]).toEqual([1, 1, 1]);
    }
    setBlock(doc, 3, 0, 0, 1, 1, 2);
    expect(doc.evictClean(new Set())).toEqual([3]);
    expect(doc.hasRaster(0)).toBe(true);
    expect(doc.setRaster(0, { width: 4, height: 2, data: new Uint16Array(8) })).toBe(false);
    doc.markSaved(0);
    expect(doc.evictClean(new Set())).toEqual([0]);
  });
});
