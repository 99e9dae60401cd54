// Shortcuts through the real tinykeys handler on jsdom keyboard events: every default binding runs its action,
// rebinding works and is saved, conflicts are found and refused, typing in a field is left alone.
import { describe, expect, it, vi } from 'vitest';
import { ActionRegistry, normalizeChord } from '../../src-renderer/editor/actions';
import { editorActions, type ViewTargets } from '../../src-renderer/editor/editor-actions';
import { EditorDocument } from '../../src-renderer/editor/document';
import { Editor } from '../../src-renderer/editor/editor';
import { projectActions, type ProjectCommand } from '../../src-renderer/editor/project-actions';

const projectRuns: ProjectCommand[] = [];
let projectOpen = false;

function setup(): { editor: Editor; registry: ActionRegistry; view: ViewTargets; off: () => void } {
  const doc = new EditorDocument({
    id: 'v', width: 8, height: 8, nextObjectId: 3,
    frames: [0, 1, 2].map((index) => ({ index, timeSec: index, review: 'unreviewed' as const, source: { kind: 'none' as const }, revision: 0 })),
    objects: [1, 2].map((id) => ({ id, classIndex: id, visible: true, locked: false, z: id, sounding: [true, true, true] })),
  });
  const editor = new Editor();
  editor.setDocument(doc);
  const view: ViewTargets = {
    zoomBy: vi.fn(), fit: vi.fn(), oneToOne: vi.fn(), cycleMaskView: vi.fn(), toggleHelp: vi.fn(), togglePlay: vi.fn(),
    newObjectClass: () => 5,
  };
  const registry = new ActionRegistry();
  registry.register(...editorActions(editor, view));
  registry.register(...projectActions({ run: (c) => projectRuns.push(c), hasProject: () => projectOpen, hasVideo: () => projectOpen }));
  return { editor, registry, view, off: registry.bind(window) };
}

function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = window): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('action registry and shortcuts', () => {
  it('has no conflicts in the defaults', () => {
    const { registry, off } = setup();
    expect(registry.conflicts()).toEqual([]);
    off();
  });

  it('Ctrl+O opens a project; Ctrl+Shift+S saves as only while a project is open', () => {
    const { off } = setup();
    projectRuns.length = 0;
    projectOpen = false;
    expect(press('o', { ctrlKey: true }).defaultPrevented).toBe(true);
    expect(press('S', { ctrlKey: true, shiftKey: true }).defaultPrevented).toBe(false);
    projectOpen = true;
    press('S', { ctrlKey: true, shiftKey: true });
    expect(projectRuns).toEqual(['open', 'save-as']);
    off();
  });

  it('tool keys, [ ], undo/redo, frames, approve, help run their actions', () => {
    const { editor, registry, view, off } = setup();
    press('e');
    expect(editor.tool).toBe('eraser');
    press('p');
    expect(editor.tool).toBe('polygon');
    press('b');
    editor.setBrushSize(20);
    press(']');
    expect(editor.settings.brushSize).toBe(23);
    press('[');
    expect(editor.settings.brushSize).toBe(20);
    editor.pointerDown({ x: 2, y: 2 });
    editor.pointerUp({ x: 2, y: 2 });
    expect(editor.history.undoCount).toBe(1);
    press('z', { ctrlKey: true });
    expect(editor.history.canRedo).toBe(true);
    press('Z', { ctrlKey: true, shiftKey: true });
    expect(editor.history.canRedo).toBe(false);
    press('ArrowRight');
    expect(editor.frame).toBe(1);
    press('a');
    expect(editor.doc!.frames[1]!.review).toBe('approved');
    press('?', { shiftKey: true });
    expect(view.toggleHelp).toHaveBeenCalledTimes(1);
    expect(registry.enabled('polygon.close')).toBe(false);
    off();
  });

  it('Enter / Backspace / Escape reach the polygon only while placing', () => {
    const { editor, off } = setup();
    press('p');
    editor.pointerDown({ x: 0, y: 0 });
    editor.pointerDown({ x: 6, y: 0 });
    editor.pointerDown({ x: 6, y: 6 });
    press('Backspace');
    expect(editor.preview().polygon?.points).toHaveLength(2);
    editor.pointerDown({ x: 6, y: 6 });
    press('Enter');
    expect(editor.toolState).toBe('idle');
    expect(editor.history.undoCount).toBe(1);
    editor.pointerDown({ x: 1, y: 1 });
    press('Escape');
    expect(editor.toolState).toBe('idle');
    off();
  });

  it('keys typed into a text field are left to the field', () => {
    const { editor, off } = setup();
    const input = document.createElement('input');
    document.body.append(input);
    press('e', {}, input);
    expect(editor.tool).toBe('brush');
    input.remove();
    off();
  });

  it('rebinding moves a shortcut, is saved and restored; a conflicting rebind is refused', () => {
    const { editor, registry, off } = setup();
    expect(registry.rebind('tool.eraser', ['r'])).toEqual([]);
    press('e');
    expect(editor.tool).toBe('brush');
    press('r');
    expect(editor.tool).toBe('eraser');
    const conflicts = registry.rebind('tool.fill', ['b']);
    expect(conflicts).toEqual([{ chord: normalizeChord('b'), actions: ['tool.brush', 'tool.fill'] }]);
    expect(registry.keys('tool.fill')).toEqual(['g']);
    const saved = registry.saveOverrides();
    off();

    const again = setup();
    again.registry.loadOverrides(saved);
    expect(again.registry.keys('tool.eraser')).toEqual(['r']);
    press('r');
    expect(again.editor.tool).toBe('eraser');
    again.registry.loadOverrides('{"tool.fill": ["b"], "nope": ["q"], "tool.move": 3}');
    expect(again.registry.keys('tool.fill')).toEqual(['g']);
    expect(again.registry.conflicts()).toEqual([]);
    again.off();
  });

  it('normalizes chords so Shift+Control+z and Control+Shift+Z collide', () => {
    expect(normalizeChord('Shift+Control+z')).toBe(normalizeChord('Control+Shift+Z'));
  });
});
