import { describe, expect, it } from 'vitest';
import { discOffsets } from '../../../src-renderer/editor/raster-ops';
import { count, makeEditor, object, rows, setBlock } from './fixture';

describe('brush and eraser', () => {
  it('round brush sizes are pixel-exact: 1 -> 1 px, 2 -> 2x2, 3 -> 3x3, 5 -> 21 px', () => {
    expect(discOffsets(1).length / 2).toBe(1);
    expect(discOffsets(2).length / 2).toBe(4);
    expect(discOffsets(3).length / 2).toBe(9);
    expect(discOffsets(5).length / 2).toBe(21);
  });

  it('a click with size 5 paints a 21-pixel disc centred on the pixel under the pointer', () => {
    const { editor, doc } = makeEditor({ width: 9, height: 7 });
    editor.select(1);
    editor.setBrushSize(5);
    editor.pointerDown({ x: 4.3, y: 3.9 });
    editor.pointerUp({ x: 4.3, y: 3.9 });
    expect(rows(doc)).toEqual([
      '.........',
      '...111...',
      '..11111..',
      '..11111..',
      '..11111..',
      '...111...',
      '.........',
    ]);
    expect(editor.history.undoCount).toBe(1);
  });

  it('a drag leaves no gaps and makes one history entry per stroke', () => {
    const { editor, doc } = makeEditor({ width: 12, height: 3 });
    editor.select(2);
    editor.setBrushSize(1);
    editor.pointerDown({ x: 1.5, y: 1.5 });
    editor.pointerMove({ x: 6.5, y: 1.5 });
    editor.pointerMove({ x: 10.5, y: 1.5 });
    editor.pointerUp({ x: 10.5, y: 1.5 });
    expect(rows(doc)).toEqual(['............', '.2222222222.', '............']);
    expect(editor.history.undoCount).toBe(1);
    const patch = (editor.history as unknown as { done: { patches: { rect: unknown }[] }[] }).done[0]!.patches[0]!;
    expect(patch.rect).toEqual({ x: 1, y: 1, w: 10, h: 1 });
  });

  it('a long diagonal stroke is one entry of per-band patches, far smaller than its bounding box, undone exactly', () => {
    const { editor, doc } = makeEditor({ width: 200, height: 200 });
    editor.select(1);
    editor.setBrushSize(3);
    const before = [...doc.raster(0).data];
    editor.pointerDown({ x: 2.5, y: 2.5 });
    for (let k = 3; k < 198; k += 5) editor.pointerMove({ x: k + 0.5, y: k + 0.5 });
    editor.pointerUp({ x: 197.5, y: 197.5 });
    expect(editor.history.undoCount).toBe(1);
    const patches = (editor.history as unknown as { done: { patches: { rect: { x: number; y: number; w: number; h: number } }[] }[] }).done[0]!.patches;
    expect(patches.length).toBeGreaterThan(1);
    const area = patches.reduce((a, p) => a + p.rect.w * p.rect.h, 0);
    expect(area).toBeLessThan((196 * 196) / 4); // the bounding box would be ~196 x 196
    for (let i = 1; i < patches.length; i++) expect(patches[i]!.rect.y).toBeGreaterThanOrEqual(patches[i - 1]!.rect.y + patches[i - 1]!.rect.h);
    const painted = [...doc.raster(0).data];
    expect(count(doc, 1)).toBeGreaterThan(195 * 3);
    editor.undo();
    expect([...doc.raster(0).data]).toEqual(before);
    editor.redo();
    expect([...doc.raster(0).data]).toEqual(painted);
  });

  it('painting is exclusive: takes pixels from other objects, never from locked or hidden ones', () => {
    const { editor, doc } = makeEditor({ width: 6, height: 1, objects: [object(1), object(2, { locked: true }), object(3, { visible: false }), object(4)] });
    doc.raster(0).data.set([2, 2, 3, 3, 1, 1]);
    editor.select(4);
    editor.setBrushSize(1);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    editor.pointerMove({ x: 5.5, y: 0.5 });
    editor.pointerUp({ x: 5.5, y: 0.5 });
    expect(rows(doc)).toEqual(['223344']);
  });

  it('non-exclusive painting fills background only', () => {
    const { editor, doc } = makeEditor({ width: 4, height: 1 });
    doc.raster(0).data.set([0, 1, 0, 1]);
    editor.select(2);
    editor.setSetting('exclusive', false);
    editor.setBrushSize(1);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    editor.pointerMove({ x: 3.5, y: 0.5 });
    editor.pointerUp({ x: 3.5, y: 0.5 });
    expect(rows(doc)).toEqual(['2121']);
  });

  it('the eraser removes only the selected object\'s pixels', () => {
    const { editor, doc } = makeEditor({ width: 5, height: 1 });
    doc.raster(0).data.set([1, 2, 1, 2, 1]);
    editor.setTool('eraser');
    editor.select(1);
    editor.setBrushSize(1);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    editor.pointerMove({ x: 4.5, y: 0.5 });
    editor.pointerUp({ x: 4.5, y: 0.5 });
    expect(rows(doc)).toEqual(['.2.2.']);
  });

  it('a locked or hidden selected object is refused with a notice, nothing changes', () => {
    const { editor, doc } = makeEditor({ width: 4, height: 4, objects: [object(1, { locked: true }), object(2, { visible: false })] });
    const notices: string[] = [];
    editor.onNotice((m) => notices.push(m));
    for (const id of [1, 2]) {
      editor.select(id);
      editor.pointerDown({ x: 1, y: 1 });
      editor.pointerUp({ x: 1, y: 1 });
    }
    expect(count(doc, 1) + count(doc, 2)).toBe(0);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/locked/);
    expect(notices[1]).toMatch(/hidden/);
    expect(editor.history.undoCount).toBe(0);
  });

  it('Esc cancels a stroke and puts every pixel back', () => {
    const { editor, doc } = makeEditor({ width: 8, height: 8 });
    setBlock(doc, 0, 0, 0, 8, 8, 2);
    const before = rows(doc);
    editor.select(1);
    editor.setBrushSize(3);
    editor.pointerDown({ x: 2, y: 2 });
    editor.pointerMove({ x: 6, y: 6 });
    expect(rows(doc)).not.toEqual(before);
    expect(editor.toolKey('Escape')).toBe(true);
    expect(rows(doc)).toEqual(before);
    expect(editor.toolState).toBe('idle');
    editor.pointerUp({ x: 6, y: 6 });
    expect(editor.history.undoCount).toBe(0);
  });

  it('switching frame or tool mid-stroke drops the stroke (nothing lands on the other frame)', () => {
    const { editor, doc } = makeEditor({ width: 8, height: 8 });
    editor.select(1);
    editor.pointerDown({ x: 2, y: 2 });
    editor.setFrame(1);
    editor.pointerMove({ x: 5, y: 5 });
    editor.pointerUp({ x: 5, y: 5 });
    expect(count(doc, 1, 0) + count(doc, 1, 1)).toBe(0);
    editor.pointerDown({ x: 2, y: 2 });
    editor.setTool('polygon');
    expect(count(doc, 1, 1)).toBe(0);
    expect(editor.history.undoCount).toBe(0);
  });

  it('[ and ] sizes step by about 15 %, clamped to 1..256', () => {
    const { editor } = makeEditor();
    editor.setBrushSize(20);
    editor.stepBrushSize(1);
    expect(editor.settings.brushSize).toBe(23);
    editor.setBrushSize(1);
    editor.stepBrushSize(-1);
    expect(editor.settings.brushSize).toBe(1);
    editor.setBrushSize(1000);
    expect(editor.settings.brushSize).toBe(256);
  });
});
