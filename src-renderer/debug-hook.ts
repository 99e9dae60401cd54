/**
 * A window onto the document for end-to-end tests, the benchmark and users' automation, installed only when the
 * page URL has `debug=1`: tests read pixels back from the document itself, not from the canvas.
 */
import { nextTick } from 'vue';
import { flattenToClasses } from '../src-main/shared/project-model';
import * as ops from './editor/object-ops';
import type { useEditorStore } from './stores/editor';

export interface AvsDebug {
  /** The frame's AVSS class map (what an export writes), loading the frame's raster first when needed. */
  classMap(frame: number): Promise<number[] | null>;
  /** Object ids of the frame's raster. */
  objectIds(frame: number): Promise<number[] | null>;
  frame(): number;
  historyBytes(): number;
  /** The editor store and object operations: the benchmark drives the editor through them. */
  store: ReturnType<typeof useEditorStore>;
  ops: typeof ops;
  /** The stage's zoom and pan: screen = raster * scale + (x, y) inside the stage element. */
  view(): { scale: number; x: number; y: number } | null;
  /** Are frame `frame`'s image and its masks the ones on screen? */
  showing(frame: number): boolean;
  /** Draws the Konva layers waiting for the next animation frame now. */
  drawNow(): void;
  /** Resolves once Vue has applied pending updates (watchers, re-renders). */
  settled(): Promise<void>;
}

declare global {
  interface Window {
    avsDebug?: AvsDebug;
  }
}

export interface DebugView {
  showing(frame: number): boolean;
  flushDraw(): void;
  /** screen = raster * scale + (x, y), relative to the stage element. */
  view: { scale: number; x: number; y: number };
}

export function installDebugHook(store: ReturnType<typeof useEditorStore>, view: () => DebugView | null): void {
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
    store,
    ops,
    showing: (frame) => view()?.showing(frame) ?? false,
    view: () => {
      const v = view()?.view;
      return v ? { scale: v.scale, x: v.x, y: v.y } : null;
    },
    drawNow: () => view()?.flushDraw(),
    settled: () => nextTick(),
  };
}
