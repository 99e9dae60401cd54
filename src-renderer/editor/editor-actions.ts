/**
 * The editor's commands, registered once (see actions.ts). The view supplies what only it can do (zoom, help,
 * playback); everything else runs on the editor core.
 */
import type { Action } from './actions';
import type { Editor } from './editor';
import { copyMaskTo, createObject, deleteObject, fillObjectHoles, nextUnreviewed, setReview } from './object-ops';
import type { ToolId } from './tools/tool';

export interface ViewTargets {
  zoomBy(factor: number): void;
  fit(): void;
  oneToOne(): void;
  cycleMaskView(): void;
  toggleHelp(): void;
  togglePlay(): void;
  /** Class given to a new object made by shortcut (the last class used). */
  newObjectClass(): number;
}

const TOOLS: readonly [ToolId, string, string][] = [
  ['brush', 'Brush', 'b'], ['eraser', 'Eraser', 'e'], ['polygon', 'Polygon', 'p'], ['fill', 'Fill / magic wand', 'g'],
  ['move', 'Move mask', 'v'],
];

export function editorActions(editor: Editor, view: ViewTargets): Action[] {
  const hasDoc = (): boolean => editor.doc !== null;
  const hasObject = (): boolean => editor.selected !== null && editor.doc?.object(editor.selected) !== undefined;
  const placing = (): boolean => editor.tool === 'polygon' && editor.toolState === 'placing';
  const frames = (): number => editor.doc?.frameCount ?? 0;
  return [
    ...TOOLS.map(([id, title, key]): Action => ({
      id: `tool.${id}`, title, group: 'Tools', defaultKeys: [key], run: () => editor.setTool(id),
    })),
    {
      id: 'tool.polygonMode', title: 'Polygon: add / subtract', group: 'Tools', defaultKeys: ['Shift+P'],
      run: () => {
        editor.setTool('polygon');
        editor.setSetting('polygonMode', editor.settings.polygonMode === 'add' ? 'subtract' : 'add');
      },
    },
    { id: 'brush.smaller', title: 'Smaller brush', group: 'Tools', defaultKeys: ['['], run: () => editor.stepBrushSize(-1) },
    { id: 'brush.larger', title: 'Larger brush', group: 'Tools', defaultKeys: [']'], run: () => editor.stepBrushSize(1) },
    {
      id: 'tool.exclusive', title: 'Exclusive painting (take pixels from other objects)', group: 'Tools', defaultKeys: ['x'],
      run: () => editor.setSetting('exclusive', !editor.settings.exclusive),
    },
    {
      id: 'tool.cancel', title: 'Cancel the stroke / polygon', group: 'Tools', defaultKeys: ['Escape'],
      when: () => editor.toolState !== 'idle', run: () => editor.interrupt(),
    },
    { id: 'polygon.close', title: 'Close the polygon', group: 'Tools', defaultKeys: ['Enter'], when: placing, run: () => editor.toolKey('Enter') },
    {
      id: 'polygon.removeVertex', title: 'Remove the last vertex', group: 'Tools', defaultKeys: ['Backspace'], when: placing,
      run: () => editor.toolKey('Backspace'),
    },
    { id: 'edit.undo', title: 'Undo', group: 'Edit', defaultKeys: ['$mod+z'], when: () => editor.history.canUndo, run: () => editor.undo() },
    {
      id: 'edit.redo', title: 'Redo', group: 'Edit', defaultKeys: ['$mod+Shift+z', '$mod+y'], when: () => editor.history.canRedo,
      run: () => editor.redo(),
    },
    { id: 'object.new', title: 'New object', group: 'Objects', defaultKeys: ['Shift+N'], when: hasDoc, run: () => createObject(editor, view.newObjectClass()) },
    {
      id: 'object.delete', title: 'Delete the selected object', group: 'Objects', defaultKeys: ['Delete'], when: hasObject,
      run: () => deleteObject(editor, editor.selected!),
    },
    { id: 'object.fillHoles', title: 'Fill holes', group: 'Objects', defaultKeys: ['h'], when: hasObject, run: () => fillObjectHoles(editor) },
    {
      id: 'object.copyNext', title: 'Copy mask to the next frame', group: 'Objects', defaultKeys: ['Alt+ArrowRight'], when: hasObject,
      run: () => copyMaskTo(editor, [editor.frame + 1]),
    },
    {
      id: 'object.copyPrev', title: 'Copy mask to the previous frame', group: 'Objects', defaultKeys: ['Alt+ArrowLeft'], when: hasObject,
      run: () => copyMaskTo(editor, [editor.frame - 1]),
    },
    { id: 'frame.prev', title: 'Previous frame', group: 'Frames', defaultKeys: ['ArrowLeft'], when: hasDoc, run: () => editor.setFrame(editor.frame - 1) },
    { id: 'frame.next', title: 'Next frame', group: 'Frames', defaultKeys: ['ArrowRight'], when: hasDoc, run: () => editor.setFrame(editor.frame + 1) },
    {
      id: 'frame.approve', title: 'Approve frame', group: 'Review', defaultKeys: ['a'], when: () => frames() > 0,
      run: () => setReview(editor, editor.frame, 'approved'),
    },
    {
      id: 'frame.nextUnreviewed', title: 'Next unreviewed frame', group: 'Review', defaultKeys: ['n'], when: () => frames() > 0,
      run: () => {
        const next = nextUnreviewed(editor);
        if (next === null) editor.notice('Every frame is approved.');
        else editor.setFrame(next);
      },
    },
    { id: 'view.zoomIn', title: 'Zoom in', group: 'View', defaultKeys: ['='], when: hasDoc, run: () => view.zoomBy(1.25) },
    { id: 'view.zoomOut', title: 'Zoom out', group: 'View', defaultKeys: ['-'], when: hasDoc, run: () => view.zoomBy(0.8) },
    { id: 'view.fit', title: 'Fit to window', group: 'View', defaultKeys: ['0'], when: hasDoc, run: () => view.fit() },
    { id: 'view.oneToOne', title: 'Actual pixels (1:1)', group: 'View', defaultKeys: ['1'], when: hasDoc, run: () => view.oneToOne() },
    { id: 'view.maskMode', title: 'Masks: fill / outline / off', group: 'View', defaultKeys: ['m'], run: () => view.cycleMaskView() },
    { id: 'view.help', title: 'Keyboard shortcuts', group: 'View', defaultKeys: ['Shift+?'], run: () => view.toggleHelp() },
    { id: 'playback.toggle', title: 'Play / pause', group: 'Frames', defaultKeys: ['k'], when: hasDoc, run: () => view.togglePlay() },
  ];
}
