/** Brush and eraser: idle -> painting on pointer down, one history entry per stroke at pointer up. */
import type { Point } from '../geometry';
import { brushAnchor, stampDisc, strokeSegment } from '../raster-ops';
import { StrokeWriter, type PaintMode } from '../stroke-writer';
import { StrokeTool } from './stroke-tool';
import { paintableTarget, type ToolHost, type ToolPreview } from './tool';

export class BrushTool extends StrokeTool {
  private last: Point | null = null;
  private pointer: Point | null = null;

  constructor(host: ToolHost, readonly id: 'brush' | 'eraser') {
    super(host);
  }

  protected get label(): string {
    return this.id === 'eraser' ? 'Erase' : 'Brush stroke';
  }

  private get mode(): PaintMode {
    return this.id === 'eraser' ? 'erase' : 'add';
  }

  down(p: Point, button: number): void {
    if (button !== 0 || this.state !== 'idle') return;
    const target = paintableTarget(this.host);
    if (target === null) return;
    const { doc, frame, settings } = this.host;
    this.writer = new StrokeWriter(doc, frame, target, settings.exclusive);
    this.state = 'painting';
    this.last = brushAnchor(p, settings.brushSize);
    stampDisc(this.writer, doc.width, doc.height, this.last.x, this.last.y, settings.brushSize, this.mode);
    this.writer.flushLive();
  }

  move(p: Point): void {
    this.pointer = p;
    if (this.state === 'painting' && this.writer && this.last) {
      const { doc, settings } = this.host;
      const anchor = brushAnchor(p, settings.brushSize);
      if (anchor.x !== this.last.x || anchor.y !== this.last.y) {
        strokeSegment(this.writer, doc.width, doc.height, this.last, anchor, settings.brushSize, this.mode);
        this.last = anchor;
        this.writer.flushLive();
      }
    }
    this.host.changed();
  }

  protected clearStroke(): void {
    this.last = null;
  }

  preview(): ToolPreview {
    const p = this.pointer;
    if (!p) return {};
    const size = this.host.settings.brushSize;
    const a = brushAnchor(p, size);
    const odd = Math.round(size) % 2 === 1;
    return { brush: { x: odd ? a.x + 0.5 : a.x, y: odd ? a.y + 0.5 : a.y, size } };
  }
}
