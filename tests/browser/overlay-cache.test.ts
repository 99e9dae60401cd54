// The frame view's overlay cache in real Chromium: whole overlays painted in the worker hold exactly the pixels
// paintOverlay writes, a result painted from pixels that changed meanwhile is dropped and painted again, edits
// patch a cached overlay by rectangle, and the byte cap evicts the oldest overlays but never the pinned one.
import { describe, expect, it } from 'vitest';
import type { ObjectRaster, ProjectObject } from '../../src-main/shared/project-model';
import { OverlayCache } from '../../src-renderer/canvas/overlay-cache';
import { colourTable, paintOverlay } from '../../src-renderer/editor/overlay';

const W = 64, H = 48;
const objects: ProjectObject[] = [1, 2].map((id) => ({ id, classIndex: id * 5, visible: true, locked: false, z: id, sounding: [] }));
const table = colourTable(objects, { mode: 'fill', opacity: 0.5, selected: null });

function raster(blocks: [number, number, number, number, number][]): ObjectRaster {
  const data = new Uint16Array(W * H);
  for (const [x, y, w, h, id] of blocks) for (let r = y; r < y + h; r++) data.fill(id, r * W + x, r * W + x + w);
  return { width: W, height: H, data };
}

function expected(r: ObjectRaster): number[] {
  const out = new Uint8ClampedArray(W * H * 4);
  paintOverlay(r, table, { x: 0, y: 0, w: W, h: H }, out);
  return [...out];
}

function pixels(canvas: HTMLCanvasElement): number[] {
  return [...canvas.getContext('2d')!.getImageData(0, 0, W, H).data];
}

function setup(rasters: Map<number, ObjectRaster>, capFrames = 20) {
  const ready: number[] = [];
  const waiters: { frame: number; resolve: () => void }[] = [];
  const cache = new OverlayCache({ width: W, height: H, raster: (f) => rasters.get(f) ?? null, table: () => table }, (frame) => {
    ready.push(frame);
    for (const w of waiters.filter((x) => x.frame === frame)) w.resolve();
  }, capFrames * W * H * 4);
  const painted = (frame: number) => new Promise<void>((resolve) => waiters.push({ frame, resolve }));
  return { cache, ready, painted };
}

describe('overlay cache', () => {
  it('paints whole overlays in the worker with exactly paintOverlay\'s pixels, and patches them by rectangle', async () => {
    const r0 = raster([[4, 4, 10, 8, 1], [14, 4, 6, 8, 2]]);
    const { cache, painted } = setup(new Map([[0, r0]]));
    const done = painted(0);
    cache.request([0]);
    await done;
    expect((cache as unknown as { worker: Worker | null }).worker).not.toBeNull(); // painted off the main thread
    expect(pixels(cache.get(0)!.canvas)).toEqual(expected(r0));

    r0.data.fill(2, 30 * W + 40, 30 * W + 45); // a 5-px dab of object 2
    cache.changed(0, { x: 40, y: 30, w: 5, h: 1 }, false);
    expect(pixels(cache.get(0)!.canvas)).toEqual(expected(r0));
    cache.dispose();
  });

  it('drops a result painted from pixels that changed meanwhile and paints the frame again', async () => {
    const r1 = raster([[0, 0, 20, 20, 1]]);
    const { cache, ready, painted } = setup(new Map([[1, r1]]));
    cache.request([1]);
    // The raster changes while the worker paints the old pixels (not cached yet: only its version moves).
    r1.data.fill(2, 40 * W, 40 * W + 30);
    cache.changed(1, { x: 0, y: 40, w: 30, h: 1 }, false);
    await painted(1);
    expect(ready).toEqual([1]); // the stale result was never shown
    expect(pixels(cache.get(1)!.canvas)).toEqual(expected(r1));
    cache.dispose();
  });

  it('keeps at most the byte cap\'s overlays, never evicting the pinned frame', async () => {
    const rasters = new Map([0, 1, 2, 3, 4, 5].map((f) => [f, raster([[f * 4, 2, 4, 4, 1]])] as const));
    const { cache, painted } = setup(rasters, 3);
    cache.pinned = 0;
    for (const f of [0, 1, 2, 3, 4, 5]) {
      const done = painted(f);
      cache.request([f]);
      await done;
    }
    const held = [0, 1, 2, 3, 4, 5].filter((f) => cache.has(f));
    expect(held).toEqual([0, 4, 5]);
    expect(pixels(cache.get(0)!.canvas)).toEqual(expected(rasters.get(0)!));
    cache.dispose();
  });
});
