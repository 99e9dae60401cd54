/**
 * Move the selected object's mask on the frame: idle -> dragging on pointer down; the mask follows the pointer in
 * whole pixels (live), pointer up commits one entry, Esc puts it back.
 */
import type { Point } from '../geometry';
import { movePixels, objectPixels } from '../raster-ops';
import { StrokeWriter } from '../stroke-writer';
import { StrokeTool } from './stroke-tool';
import { paintableTarget, type ToolPreview } from './tool';

export class MoveTool extends StrokeTool {
  readonly id = 'move' as const;
  protected readonly label = 'Move mask';
  private start: Point | null = null;
  private pixels: Int32Array | null = null;
  private delta = { x: 0, y: 0 };

  down(p: Point, button: number): void {
    if (button !== 0 || this.state !== 'idle') return;
    const target = paintableTarget(this.host);
    if (target === null) return;
    this.pixels = objectPixels(this.host.doc.raster(this.host.frame).data, target);
    this.start = p;
    this.delta = { x: 0, y: 0 };
    this.state = 'dragging';
  }

  move(p: Point): void {
    if (this.state !== 'dragging' || !this.start || !this.pixels) return;
    const dx = Math.round(p.x - this.start.x), dy = Math.round(p.y - this.start.y);
    if (dx === this.delta.x && dy === this.delta.y) return;
    this.delta = { x: dx, y: dy };
    // Each move restarts from the original pixels, so the live result is always "original moved by delta".
    this.writer?.cancel();
    const { doc, frame, settings } = this.host;
    this.writer = new StrokeWriter(doc, frame, this.host.target!, settings.exclusive);
    movePixels(this.writer, this.pixels, doc.width, doc.height, dx, dy);
    this.writer.flushLive();
  }

  protected clearStroke(): void {
    this.pixels = null;
    this.start = null;
  }

  preview(): ToolPreview {
    return {};
  }
}
