/**
 * A read-only window onto the document for end-to-end tests and users' automation, installed only when the page
 * URL has `debug=1`: tests read pixels back from the document itself, not from the canvas.
 */
import { flattenToClasses } from '../src-main/shared/project-model';
import type { useEditorStore } from './stores/editor';

export interface AvsDebug {
  /** The frame's AVSS class map (what an export writes), loading the frame's raster first when needed. */
  classMap(frame: number): Promise<number[] | null>;
  /** Object ids of the frame's raster. */
  objectIds(frame: number): Promise<number[] | null>;
  frame(): number;
  historyBytes(): number;
}

declare global {
  interface Window {
    avsDebug?: AvsDebug;
  }
}

export function installDebugHook(store: ReturnType<typeof useEditorStore>): void {
  if (!new URLSearchParams(window.location.search).has('debug')) return;
  const raster = async (frame: number) => {
    await store.ensureFrame(frame);
    const doc = store.doc;
    return doc ? { doc, raster: doc.raster(frame) } : null;
  };
  window.avsDebug = {
    async classMap(frame) {
      const r = await raster(frame);
      return r ? [...flattenToClasses(r.raster, r.doc.objects, frame)] : null;
    },
    async objectIds(frame) {
      const r = await raster(frame);
      return r ? [...r.raster.data] : null;
    },
    frame: () => store.editor.frame,
    historyBytes: () => store.editor.history.bytes,
  };
}
