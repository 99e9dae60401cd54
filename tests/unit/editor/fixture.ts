/** A small in-memory document for headless tool tests: W x H raster, a few objects, N frames. */
import type { FrameState, ProjectObject } from '../../../src-main/shared/project-model';
import { EditorDocument } from '../../../src-renderer/editor/document';
import { Editor } from '../../../src-renderer/editor/editor';

export function object(id: number, extra: Partial<ProjectObject> = {}): ProjectObject {
  return { id, classIndex: id + 1, visible: true, locked: false, z: id, sounding: [true, true, true, true], ...extra };
}

export function makeEditor(options: { width?: number; height?: number; frames?: number; objects?: ProjectObject[]; historyBytes?: number } = {}): {
  editor: Editor;
  doc: EditorDocument;
} {
  const frames: FrameState[] = Array.from({ length: options.frames ?? 4 }, (_, index) => ({
    index, timeSec: index + 15 / 16, review: 'unreviewed', source: { kind: 'none' }, revision: 0,
  }));
  const objects = options.objects ?? [object(1), object(2)];
  const doc = new EditorDocument({
    id: 'v1', width: options.width ?? 20, height: options.height ?? 10, frames, objects,
    nextObjectId: Math.max(0, ...objects.map((o) => o.id)) + 1,
  });
  const editor = new Editor(options.historyBytes);
  editor.setDocument(doc);
  // Tiny test rasters: one screen pixel per raster pixel would make the close-on-first-vertex radius 8 px.
  editor.pixelsPerScreenPixel = 1 / 8;
  return { editor, doc };
}

/** The raster as text rows ('.' = 0, digits = ids), for exact pixel assertions that read well in a diff. */
export function rows(doc: EditorDocument, frame = 0): string[] {
  const r = doc.raster(frame);
  const out: string[] = [];
  for (let y = 0; y < r.height; y++) {
    let line = '';
    for (let x = 0; x < r.width; x++) {
      const v = r.data[y * r.width + x]!;
      line += v === 0 ? '.' : String(v);
    }
    out.push(line);
  }
  return out;
}

/** Fills a rectangle of the raster directly (test setup, not an edit). */
export function setBlock(doc: EditorDocument, frame: number, x: number, y: number, w: number, h: number, id: number): void {
  const r = doc.raster(frame);
  for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) r.data[yy * r.width + xx] = id;
}

export function count(doc: EditorDocument, id: number, frame = 0): number {
  return doc.raster(frame).data.reduce((n, v) => n + (v === id ? 1 : 0), 0);
}
