/**
 * What every tool is: a small state machine fed by one pointer-input adapter (the view), in raster pixels.
 * `cancel()` is both Esc and the interrupt on tool or frame switch: it drops unfinished work and restores every
 * pixel it changed, so a half-drawn stroke never lands on another frame.
 */
import type { EditorDocument } from '../document';
import type { Point } from '../geometry';
import type { PixelPatch } from '../history';

export type ToolId = 'brush' | 'eraser' | 'polygon' | 'fill' | 'move';
export type ToolState = 'idle' | 'painting' | 'placing' | 'dragging';

export interface ToolSettings {
  /** Brush and eraser diameter in raster pixels. */
  brushSize: number;
  /** Magic wand: largest per-channel colour difference (0..255) still joined to the region. */
  tolerance: number;
  /** Painting takes pixels from other unlocked, visible objects (true) or fills background only (false). */
  exclusive: boolean;
  /** Polygon adds to the selected object or subtracts from it. */
  polygonMode: 'add' | 'subtract';
}

export const DEFAULT_SETTINGS: Readonly<ToolSettings> = { brushSize: 15, tolerance: 24, exclusive: true, polygonMode: 'add' };

/** What a tool needs from the editor. */
export interface ToolHost {
  readonly doc: EditorDocument;
  readonly frame: number;
  /** The selected object, or null. */
  readonly target: number | null;
  readonly settings: ToolSettings;
  /** Raster pixels within which a click counts as "on the first vertex" (depends on zoom). */
  readonly snapRadius: number;
  /** Records a finished action (null when nothing changed). */
  commit(label: string, patches: PixelPatch[]): void;
  /** Explains why nothing happened (no object selected, locked object). */
  refuse(message: string): void;
  /** The tool's preview (cursor, polygon) changed. */
  changed(): void;
}

export interface PolygonPreview {
  points: readonly Point[];
  hover: Point | null;
  /** The pointer is on the first vertex and a click would close the polygon. */
  closing: boolean;
  mode: 'add' | 'subtract';
}

export interface ToolPreview {
  /** Brush outline: centre and diameter in raster pixels. */
  brush?: { x: number; y: number; size: number };
  polygon?: PolygonPreview;
}

export interface Tool {
  readonly id: ToolId;
  readonly state: ToolState;
  down(p: Point, button: number): void;
  move(p: Point): void;
  up(p: Point): void;
  /** A key the tool itself handles (Enter, Backspace, Escape); returns true when used. */
  key(key: string): boolean;
  cancel(): void;
  preview(): ToolPreview;
}

/** The selected object when it may be painted, else null after telling the user why. */
export function paintableTarget(host: ToolHost): number | null {
  const id = host.target;
  if (id === null) {
    host.refuse('Select or create an object first.');
    return null;
  }
  const object = host.doc.object(id);
  if (!object) {
    host.refuse('The selected object no longer exists.');
    return null;
  }
  if (object.locked || !object.visible) {
    host.refuse(`${object.name ?? 'This object'} is ${object.locked ? 'locked' : 'hidden'}: it cannot be changed.`);
    return null;
  }
  return id;
}
