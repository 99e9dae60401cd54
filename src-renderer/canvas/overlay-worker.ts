/**
 * Paints a frame's whole mask overlay off the main thread (a 1080p overlay is ~2 M pixels: tens of ms, more
 * under load), so stepping to a frame never waits for it: FrameView asks for the neighbours ahead of time and
 * gets back an ImageBitmap of the occupied rectangle. Messages: OverlayJob in, OverlayResult out.
 */
import { growRect } from '../editor/geometry';
import { occupiedRect, paintOverlay } from '../editor/overlay';
import type { OverlayJob, OverlayResult } from './overlay-cache';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<OverlayJob>) => void) | null;
  postMessage(message: OverlayResult, transfer: Transferable[]): void;
};

scope.onmessage = async (e) => {
  const { id, width, height, data, table } = e.data;
  const raster = { width, height, data };
  const occupied = occupiedRect(raster);
  if (!occupied) {
    scope.postMessage({ id, rect: null, bitmap: null }, []);
    return;
  }
  const rect = growRect(occupied, 1, width, height);
  const image = new ImageData(rect.w, rect.h);
  paintOverlay(raster, table, rect, image.data);
  const bitmap = await createImageBitmap(image);
  scope.postMessage({ id, rect, bitmap }, [bitmap]);
};
