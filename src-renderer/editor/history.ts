/**
 * Undo/redo as dirty-rectangle patches, never whole-frame snapshots. One entry per user action (a stroke, a
 * polygon, a fill, a move, an object change): it may hold pixel patches on several frames (copy to a range,
 * delete an object) and the object table or review states before/after.
 *
 * Unlimited in count, capped in bytes: when the patches' bytes pass `capBytes` (default 256 MiB) the oldest
 * entries are dropped. View changes (zoom, pan, visibility toggles through the view) never come here.
 * The history lives in the renderer only: a reload starts with an empty history (the project's journal in main
 * keeps the edits themselves, not their undo information).
 */
import type { ProjectObject, Rect, ReviewStatus } from '../../src-main/shared/project-model';

export interface PixelPatch {
  frame: number;
  rect: Rect;
  /** Object ids inside `rect` before and after the action, row-major, rect.w * rect.h values each. */
  before: Uint16Array<ArrayBuffer>;
  after: Uint16Array<ArrayBuffer>;
}

export interface ReviewChange {
  frame: number;
  before: ReviewStatus;
  after: ReviewStatus;
}

export interface HistoryEntry {
  label: string;
  /** The frame to show when this entry is undone or redone. */
  frame: number;
  patches: PixelPatch[];
  objects?: { before: ProjectObject[]; after: ProjectObject[] };
  reviews?: ReviewChange[];
}

export const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;

export function entryBytes(entry: HistoryEntry): number {
  let bytes = 64;
  for (const p of entry.patches) bytes += p.before.byteLength + p.after.byteLength + 32;
  if (entry.objects) bytes += 128 * (entry.objects.before.length + entry.objects.after.length);
  return bytes;
}

export class History {
  private done: HistoryEntry[] = [];
  private undone: HistoryEntry[] = [];
  private total = 0;

  constructor(readonly capBytes: number = DEFAULT_HISTORY_BYTES) {}

  /** Records a new action; clears the redo stack; drops the oldest entries past the byte cap (never the new one). */
  push(entry: HistoryEntry): void {
    for (const e of this.undone) this.total -= entryBytes(e);
    this.undone = [];
    this.done.push(entry);
    this.total += entryBytes(entry);
    while (this.total > this.capBytes && this.done.length > 1) this.total -= entryBytes(this.done.shift()!);
  }

  /** The entry to revert (its `before` side must be applied by the caller), or null. */
  undo(): HistoryEntry | null {
    const entry = this.done.pop();
    if (!entry) return null;
    this.undone.push(entry);
    return entry;
  }

  /** The entry to re-apply (its `after` side), or null. */
  redo(): HistoryEntry | null {
    const entry = this.undone.pop();
    if (!entry) return null;
    this.done.push(entry);
    return entry;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get undoCount(): number {
    return this.done.length;
  }

  get bytes(): number {
    return this.total;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.total = 0;
  }
}
