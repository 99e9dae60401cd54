/**
 * The editor core's one entry point: the document being edited, the frame on screen, the selected object, the
 * active tool and its settings, and the history. Views feed it pointer positions in raster pixels and keys; it
 * never touches the DOM, Vue, Konva or Pinia (lint-enforced), so every tool is tested headlessly.
 *
 * Listeners: `state` fires when anything a toolbar or panel shows changed (tool, frame, selection, settings,
 * history); `preview` when the tool's outline moved (per pointer move); `notice` carries a sentence for the user
 * (why a click did nothing).
 */
import type { EditorDocument } from './document';
import type { Point } from './geometry';
import { History, type HistoryEntry, type PixelPatch } from './history';
import { BrushTool } from './tools/brush-tool';
import { FillTool } from './tools/fill-tool';
import { MoveTool } from './tools/move-tool';
import { PolygonTool } from './tools/polygon-tool';
import { DEFAULT_SETTINGS, type Tool, type ToolHost, type ToolId, type ToolPreview, type ToolSettings } from './tools/tool';
import { MAX_BRUSH, MIN_BRUSH } from './raster-ops';

export class Editor {
  doc: EditorDocument | null = null;
  frame = 0;
  selected: number | null = null;
  readonly settings: ToolSettings = { ...DEFAULT_SETTINGS };
  readonly history: History;
  /** Raster pixels per screen pixel, from the view (the polygon's close radius follows the zoom). */
  pixelsPerScreenPixel = 1;
  private tools: Record<ToolId, Tool>;
  private active: Tool;
  private readonly stateListeners = new Set<() => void>();
  private readonly noticeListeners = new Set<(message: string) => void>();
  private readonly previewListeners = new Set<() => void>();

  constructor(historyBytes?: number) {
    this.history = new History(historyBytes);
    const host = this.toolHost();
    this.tools = {
      brush: new BrushTool(host, 'brush'),
      eraser: new BrushTool(host, 'eraser'),
      polygon: new PolygonTool(host),
      fill: new FillTool(host),
      move: new MoveTool(host),
    };
    this.active = this.tools.brush;
  }

  private toolHost(): ToolHost {
    return Editor.hostFor(this);
  }

  /** A live view of the editor: tools always see the current frame, selection and settings. */
  private static hostFor(editor: Editor): ToolHost {
    return {
      get doc() {
        if (!editor.doc) throw new Error('no document');
        return editor.doc;
      },
      get frame() { return editor.frame; },
      get target() { return editor.selected; },
      get settings() { return editor.settings; },
      get snapRadius() { return 8 * editor.pixelsPerScreenPixel; },
      commit: (label, patches) => editor.record(label, patches),
      refuse: (message) => editor.notice(message),
      changed: () => editor.emitPreview(),
    };
  }

  onState(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => { this.stateListeners.delete(listener); };
  }

  /** The tool's preview moved (brush outline, polygon rubber band): fires per pointer move, keep it cheap. */
  onPreview(listener: () => void): () => void {
    this.previewListeners.add(listener);
    return () => { this.previewListeners.delete(listener); };
  }

  emitPreview(): void {
    for (const listener of this.previewListeners) listener();
  }

  onNotice(listener: (message: string) => void): () => void {
    this.noticeListeners.add(listener);
    return () => { this.noticeListeners.delete(listener); };
  }

  emitState(): void {
    for (const listener of this.stateListeners) listener();
  }

  notice(message: string): void {
    for (const listener of this.noticeListeners) listener(message);
  }

  /** Opens another document: the history belongs to a document, so it starts empty. */
  setDocument(doc: EditorDocument | null): void {
    this.active.cancel();
    this.doc = doc;
    this.frame = 0;
    this.selected = doc?.objects.at(-1)?.id ?? null;
    this.history.clear();
    this.emitState();
  }

  get tool(): ToolId {
    return this.active.id;
  }

  get toolState(): Tool['state'] {
    return this.active.state;
  }

  setTool(id: ToolId): void {
    if (this.active.id === id) return;
    this.active.cancel();
    this.active = this.tools[id];
    this.emitState();
  }

  /** Shows another frame; an unfinished stroke or polygon is dropped (never carried to the new frame). */
  setFrame(frame: number): number {
    const last = Math.max(0, (this.doc?.frameCount ?? 1) - 1);
    const next = Math.min(last, Math.max(0, Math.floor(frame)));
    if (next !== this.frame) {
      this.active.cancel();
      this.frame = next;
      this.emitState();
    }
    return this.frame;
  }

  select(id: number | null): void {
    if (this.selected === id) return;
    this.active.cancel();
    this.selected = id;
    this.emitState();
  }

  setBrushSize(size: number): void {
    this.settings.brushSize = Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Math.round(size)));
    this.emitState();
  }

  /** `[` / `]`: about 15 % smaller / larger, at least one pixel. */
  stepBrushSize(direction: -1 | 1): void {
    const size = this.settings.brushSize;
    this.setBrushSize(size + direction * Math.max(1, Math.round(size * 0.15)));
  }

  setSetting<K extends keyof ToolSettings>(key: K, value: ToolSettings[K]): void {
    this.settings[key] = value;
    this.emitState();
  }

  pointerDown(p: Point, button = 0): void {
    if (!this.doc) return;
    const before = this.active.state;
    this.active.down(p, button);
    if (this.active.state !== before) this.emitState();
  }

  pointerMove(p: Point): void {
    if (this.doc) this.active.move(p);
  }

  pointerUp(p: Point): void {
    if (this.doc) this.active.up(p);
  }

  /** Keys a tool handles itself (Enter, Backspace, Escape); false when the tool did not want it. */
  toolKey(key: string): boolean {
    const used = this.active.key(key);
    if (used) this.emitState();
    return used;
  }

  /** Esc and blur: drop whatever the tool was doing. */
  interrupt(): void {
    this.active.cancel();
    this.emitState();
  }

  preview(): ToolPreview {
    return this.active.preview();
  }

  /** Records one finished action (tools and object operations). */
  record(label: string, patches: PixelPatch[], extra: Partial<HistoryEntry> = {}): void {
    const entry: HistoryEntry = { label, frame: this.frame, patches, ...extra };
    if (entry.patches.length || entry.objects || entry.reviews?.length) this.history.push(entry);
    this.emitState();
  }

  undo(): HistoryEntry | null {
    return this.replay(this.history.undo(), 'before');
  }

  redo(): HistoryEntry | null {
    return this.replay(this.history.redo(), 'after');
  }

  /** Applies one side of an entry and jumps to the frame it changes. */
  private replay(entry: HistoryEntry | null, side: 'before' | 'after'): HistoryEntry | null {
    const doc = this.doc;
    if (!entry || !doc) return null;
    this.active.cancel();
    if (entry.objects) doc.setObjects(entry.objects[side]);
    const patches = side === 'before' ? [...entry.patches].reverse() : entry.patches;
    for (const patch of patches) doc.applyPixels(patch.frame, patch.rect, patch[side]);
    for (const review of entry.reviews ?? []) doc.setReview(review.frame, review[side]);
    if (this.selected !== null && !doc.object(this.selected)) this.selected = doc.objects.at(-1)?.id ?? null;
    this.frame = entry.frame;
    this.emitState();
    return entry;
  }
}
