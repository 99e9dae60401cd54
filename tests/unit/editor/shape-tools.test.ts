import { describe, expect, it } from 'vitest';
import { makeEditor, object, rows, setBlock } from './fixture';

describe('polygon', () => {
  it('fills the pixels whose centres are inside; Enter closes', () => {
    const { editor, doc } = makeEditor({ width: 8, height: 6 });
    editor.setTool('polygon');
    editor.select(1);
    for (const p of [{ x: 1, y: 1 }, { x: 6, y: 1 }, { x: 6, y: 4 }, { x: 1, y: 4 }]) editor.pointerDown(p);
    expect(editor.toolState).toBe('placing');
    expect(editor.toolKey('Enter')).toBe(true);
    expect(rows(doc)).toEqual(['........', '.11111..', '.11111..', '.11111..', '........', '........']);
    expect(editor.history.undoCount).toBe(1);
  });

  it('a click on the first vertex closes; a double click does not close or add a vertex', () => {
    const { editor, doc } = makeEditor({ width: 8, height: 8 });
    editor.setTool('polygon');
    editor.select(2);
    editor.pointerDown({ x: 0, y: 0 });
    editor.pointerDown({ x: 4, y: 0 });
    editor.pointerDown({ x: 4, y: 4 }); // double click: the second press lands on the same point
    editor.pointerDown({ x: 4, y: 4 });
    expect(editor.preview().polygon?.points).toHaveLength(3);
    expect(editor.toolState).toBe('placing');
    editor.pointerMove({ x: 0.5, y: 0.5 });
    expect(editor.preview().polygon?.closing).toBe(true);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    expect(editor.toolState).toBe('idle');
    // triangle (0,0) (4,0) (4,4): pixel centres with y <= x (a centre on the left edge is inside)
    expect(rows(doc).slice(0, 5)).toEqual(['2222....', '.222....', '..22....', '...2....', '........']);
  });

  it('Backspace removes the last vertex; Esc drops the polygon with no change', () => {
    const { editor, doc } = makeEditor({ width: 8, height: 8 });
    editor.setTool('polygon');
    editor.select(1);
    editor.pointerDown({ x: 0, y: 0 });
    editor.pointerDown({ x: 8, y: 0 });
    editor.pointerDown({ x: 8, y: 8 });
    editor.toolKey('Backspace');
    expect(editor.preview().polygon?.points).toEqual([{ x: 0, y: 0 }, { x: 8, y: 0 }]);
    editor.toolKey('Escape');
    expect(editor.toolState).toBe('idle');
    expect(rows(doc).join('')).toMatch(/^\.+$/);
    expect(editor.history.undoCount).toBe(0);
  });

  it('subtract mode cuts the polygon out of the selected object only', () => {
    const { editor, doc } = makeEditor({ width: 6, height: 3 });
    setBlock(doc, 0, 0, 0, 6, 3, 1);
    doc.raster(0).data[7] = 2;
    editor.setTool('polygon');
    editor.setSetting('polygonMode', 'subtract');
    editor.select(1);
    for (const p of [{ x: 1, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 3 }, { x: 1, y: 3 }]) editor.pointerDown(p);
    editor.toolKey('Enter');
    expect(rows(doc)).toEqual(['1...11', '12..11', '1...11']);
  });
});

describe('fill, fill holes, move', () => {
  it('magic wand takes the connected region within the colour tolerance of the clicked pixel', () => {
    const { editor, doc } = makeEditor({ width: 5, height: 2 });
    const rgb = [[10, 10, 10], [20, 12, 10], [200, 0, 0], [12, 12, 12], [11, 11, 11], [15, 15, 15], [40, 10, 10], [200, 0, 0], [10, 10, 10], [10, 10, 10]];
    const data = new Uint8ClampedArray(rgb.flatMap(([r, g, b]) => [r!, g!, b!, 255]));
    doc.setFrameImage(0, { width: 5, height: 2, data });
    editor.setTool('fill');
    editor.setSetting('tolerance', 10);
    editor.select(1);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    // (3,0) and (4,0) are close in colour but cut off by the red column; (1,1) at 40 is out of tolerance
    expect(rows(doc)).toEqual(['11...', '1....']);
    editor.undo();
    editor.setSetting('tolerance', 30);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    expect(rows(doc)).toEqual(['11...', '11...']);
  });

  it('fill without a frame image fills the region of equal id, respecting locked objects', () => {
    const { editor, doc } = makeEditor({ width: 5, height: 1, objects: [object(1), object(2, { locked: true }), object(3)] });
    doc.raster(0).data.set([0, 0, 2, 0, 0]);
    editor.setTool('fill');
    editor.select(3);
    editor.pointerDown({ x: 0.2, y: 0.2 });
    expect(rows(doc)).toEqual(['332..']);
  });

  it('fill holes closes enclosed gaps of the selected object, not gaps open to the border', async () => {
    const { fillObjectHoles } = await import('../../../src-renderer/editor/object-ops');
    const { editor, doc } = makeEditor({ width: 7, height: 5 });
    const art = ['.11111.', '.1..21.', '.11111.', '.1....1', '.11.111'];
    art.forEach((line, y) => [...line].forEach((c, x) => { doc.raster(0).data[y * 7 + x] = c === '.' ? 0 : Number(c); }));
    editor.select(1);
    fillObjectHoles(editor);
    // the 2 inside the ring is another object: exclusive fill takes it too
    expect(rows(doc)).toEqual(['.11111.', '.11111.', '.11111.', '.1....1', '.11.111']);
  });

  it('move drags the mask by whole pixels, live, and Esc puts it back', () => {
    const { editor, doc } = makeEditor({ width: 6, height: 3 });
    setBlock(doc, 0, 0, 0, 2, 2, 1);
    editor.setTool('move');
    editor.select(1);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    editor.pointerMove({ x: 3.6, y: 1.4 });
    expect(rows(doc)).toEqual(['......', '...11.', '...11.']);
    editor.toolKey('Escape');
    expect(rows(doc)).toEqual(['11....', '11....', '......']);
    editor.pointerDown({ x: 0.5, y: 0.5 });
    editor.pointerMove({ x: 2.5, y: 0.5 });
    editor.pointerUp({ x: 2.5, y: 0.5 });
    expect(rows(doc)).toEqual(['..11..', '..11..', '......']);
    editor.undo();
    expect(rows(doc)).toEqual(['11....', '11....', '......']);
  });
});
