/**
 * Polygon add/subtract: idle -> placing on the first click. A click adds a vertex; Enter, or a click on the
 * first vertex, closes and fills; Backspace removes the last vertex; Esc drops the polygon. A double click never
 * closes (its second click lands on the vertex just placed and is ignored).
 */
import { distance, type Point } from '../geometry';
import { fillPolygon } from '../raster-ops';
import { StrokeWriter } from '../stroke-writer';
import { paintableTarget, type Tool, type ToolHost, type ToolPreview, type ToolState } from './tool';

export class PolygonTool implements Tool {
  readonly id = 'polygon' as const;
  state: ToolState = 'idle';
  private points: Point[] = [];
  private hover: Point | null = null;

  constructor(private readonly host: ToolHost) {}

  private onFirst(p: Point): boolean {
    const first = this.points[0];
    return this.points.length >= 3 && first !== undefined && distance(first, p) <= this.host.snapRadius;
  }

  down(p: Point, button: number): void {
    if (button !== 0) return;
    if (this.state === 'idle') {
      if (paintableTarget(this.host) === null) return;
      this.state = 'placing';
      this.points = [p];
    } else if (this.onFirst(p)) {
      this.close();
      return;
    } else {
      const last = this.points.at(-1);
      if (!last || distance(last, p) > 0.5) this.points.push(p);
    }
    this.host.changed();
  }

  move(p: Point): void {
    this.hover = p;
    if (this.state === 'placing') this.host.changed();
  }

  up(): void {}

  key(key: string): boolean {
    if (this.state !== 'placing') return false;
    if (key === 'Enter') {
      this.close();
      return true;
    }
    if (key === 'Backspace') {
      this.points.pop();
      if (this.points.length === 0) this.state = 'idle';
      this.host.changed();
      return true;
    }
    if (key === 'Escape') {
      this.cancel();
      return true;
    }
    return false;
  }

  /** Fills the polygon into the selected object (or cuts it out) as one history entry. */
  close(): void {
    const points = this.points;
    this.cancel();
    if (points.length < 3) return;
    const target = paintableTarget(this.host);
    if (target === null) return;
    const { doc, frame, settings } = this.host;
    const writer = new StrokeWriter(doc, frame, target, settings.exclusive);
    const mode = settings.polygonMode === 'subtract' ? 'erase' : 'add';
    fillPolygon(writer, doc.width, doc.height, points, mode);
    this.host.commit(mode === 'erase' ? 'Polygon subtract' : 'Polygon add', writer.commit());
  }

  cancel(): void {
    this.points = [];
    this.state = 'idle';
    this.host.changed();
  }

  preview(): ToolPreview {
    if (this.state !== 'placing') return {};
    const closing = this.hover !== null && this.onFirst(this.hover);
    return { polygon: { points: [...this.points], hover: this.hover, closing, mode: this.host.settings.polygonMode } };
  }
}
