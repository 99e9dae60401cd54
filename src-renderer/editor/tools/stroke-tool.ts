/**
 * The part brush, eraser and move share: a live StrokeWriter between pointer down and up, one history entry at
 * pointer up, and Esc / interrupt putting every pixel back. Subclasses say how a stroke starts and grows.
 */
import type { Point } from '../geometry';
import type { StrokeWriter } from '../stroke-writer';
import type { Tool, ToolHost, ToolId, ToolPreview, ToolState } from './tool';

export abstract class StrokeTool implements Tool {
  abstract readonly id: ToolId;
  state: ToolState = 'idle';
  protected writer: StrokeWriter | null = null;

  constructor(protected readonly host: ToolHost) {}

  abstract down(p: Point, button: number): void;
  abstract move(p: Point): void;
  abstract preview(): ToolPreview;
  /** The history entry's label. */
  protected abstract get label(): string;
  /** Drops the subclass's per-stroke state (called after commit and cancel). */
  protected abstract clearStroke(): void;

  up(p: Point): void {
    if (this.state === 'idle') return;
    this.move(p);
    const patches = this.writer?.commit() ?? [];
    this.reset();
    this.host.commit(this.label, patches);
  }

  key(key: string): boolean {
    if (key !== 'Escape' || this.state === 'idle') return false;
    this.cancel();
    return true;
  }

  cancel(): void {
    this.writer?.cancel();
    this.reset();
  }

  private reset(): void {
    this.writer = null;
    this.clearStroke();
    this.state = 'idle';
  }
}
