/**
 * The assist store's document port over the editor (src-renderer/editor/): reads come from its document, and a
 * batch of assisted edits (a click-to-mask mask, a propagation, a timeline drag) becomes ONE undo step through
 * the editor's history, so main receives it as ordinary project edits. Pixel edits mark their frame edited
 * (the document's rule); review edits are then implied, and object updates go through the object operations.
 */
import { readRect, type Edit } from '../../../src-main/shared/project-model';
import type { Editor } from '../../editor/editor';
import type { PixelPatch } from '../../editor/history';
import { updateObject } from '../../editor/object-ops';
import type { DocumentPort } from '../../stores/assist';

export function editorPort(editor: Editor): DocumentPort | null {
  const doc = editor.doc;
  if (!doc) return null;
  return {
    videoId: doc.id,
    objects: () => doc.objects,
    frames: () => doc.frames,
    raster: (frame) => (doc.hasRaster(frame) ? doc.raster(frame) : undefined),
    selectedObject: () => editor.selected,
    select: (objectId) => editor.select(objectId),
    onPixels: (listener) => doc.on('pixels', (frame) => listener(frame)),
    commit: (edits: Edit[]) => {
      const patches: PixelPatch[] = [];
      for (const edit of edits) {
        if (edit.op === 'pixels') {
          const before = readRect(doc.raster(edit.frame), edit.rect) as Uint16Array<ArrayBuffer>;
          const after = edit.after as Uint16Array<ArrayBuffer>;
          doc.applyPixels(edit.frame, edit.rect, after);
          patches.push({ frame: edit.frame, rect: edit.rect, before, after });
        } else if (edit.op === 'object:update') {
          updateObject(editor, edit.objectId, edit.changes);
        }
      }
      if (patches.length > 0) editor.record(patches.length > 1 ? 'Propagate' : 'Click-to-mask', patches);
    },
  };
}
