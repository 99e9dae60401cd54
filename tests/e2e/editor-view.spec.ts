/// <reference lib="dom" />
/**
 * The view and the objects panel in real Chromium: a pinch (two real touch points through the DevTools
 * protocol, and Ctrl + wheel as browsers send a trackpad pinch) zooms around the pinch centre, keeping the image
 * point under it fixed; dragging an object's row above another changes the z-order in the document, the panel
 * and the overlay repaint, and never the pixels.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let server: ServeHandle | null = null;
test.beforeAll(async () => { server = await startServe(root, ['--open', join(root, 'assets', 'sample.mp4')]); });
test.afterAll(async () => { await server?.stop(); });

interface Obj { id: number; z: number; classIndex: number }
interface Dbg {
  avsDebug: {
    view(): { scale: number; x: number; y: number };
    objectIds(frame: number): Promise<number[]>;
    showing(frame: number): boolean;
    ops: { createObject(editor: unknown, classIndex: number): void };
    store: {
      editor: unknown;
      doc: { width: number; height: number; objects: Obj[]; raster(f: number): { data: Uint16Array; width: number } };
      bump(): void;
    };
  };
}

async function openSample(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  await page.goto(`${server!.url}&debug=1`);
  await expect(page.getByTestId('frame-thumb').first()).toBeVisible({ timeout: 30_000 });
  await page.waitForFunction(() => (window as unknown as Dbg).avsDebug.showing(0));
  return (await page.getByTestId('stage').boundingBox())!;
}

/** The raster point under screen point (sx, sy) of the page. */
async function rasterAt(page: Page, box: { x: number; y: number }, sx: number, sy: number): Promise<{ x: number; y: number; scale: number }> {
  const v = await page.evaluate(() => (window as unknown as Dbg).avsDebug.view());
  return { x: (sx - box.x - v.x) / v.scale, y: (sy - box.y - v.y) / v.scale, scale: v.scale };
}

test('a two-finger pinch and a Ctrl + wheel pinch zoom around the pinch centre', async ({ page }) => {
  const box = await openSample(page);
  const cx = box.x + box.width * 0.4, cy = box.y + box.height * 0.45;
  const before = await rasterAt(page, box, cx, cy);

  // Two fingers 80 px apart spread to 240 px around the same centre: 3x.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 2 });
  const fingers = (half: number) => [{ x: cx - half, y: cy, id: 1 }, { x: cx + half, y: cy, id: 2 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(40) });
  for (let half = 50; half <= 120; half += 10) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(half) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const pinched = await rasterAt(page, box, cx, cy);
  expect(pinched.scale / before.scale).toBeCloseTo(3, 1);
  expect(Math.abs(pinched.x - before.x)).toBeLessThan(0.5);
  expect(Math.abs(pinched.y - before.y)).toBeLessThan(0.5);
  // The first finger's touch was no brush stroke: no pixels changed, no undo step.
  await expect(page.getByTestId('undo')).toBeDisabled();

  // A trackpad pinch arrives as wheel events with ctrlKey: zoom out around another point.
  const px = box.x + box.width * 0.6, py = box.y + box.height * 0.35;
  await page.mouse.move(px, py);
  const atWheel = await rasterAt(page, box, px, py);
  await page.keyboard.down('Control');
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 20);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await rasterAt(page, box, px, py)).scale).toBeLessThan(atWheel.scale * 0.9);
  const wheeled = await rasterAt(page, box, px, py);
  expect(Math.abs(wheeled.x - atWheel.x)).toBeLessThan(0.5);
  expect(Math.abs(wheeled.y - atWheel.y)).toBeLessThan(0.5);
});

test('dragging an object row above another changes the z-order in the document and on screen, not the pixels', async ({ page }) => {
  await openSample(page);
  // Two new objects side by side on frame 0 (ids read back; the second is created on top).
  const made = await page.evaluate(() => {
    const { store, ops } = (window as unknown as Dbg).avsDebug;
    const existing = new Set(store.doc.objects.map((o) => o.id));
    ops.createObject(store.editor, 8); // bottom of the two
    ops.createObject(store.editor, 20); // top of the two
    const [low, high] = store.doc.objects.filter((o) => !existing.has(o.id)).map((o) => o.id) as [number, number];
    const r = store.doc.raster(0);
    for (let y = 20; y < 40; y++) {
      r.data.fill(low, y * r.width + 20, y * r.width + 40);
      r.data.fill(high, y * r.width + 40, y * r.width + 60);
    }
    store.bump();
    return { low, high };
  });
  const rows = page.getByTestId('object-row');
  const order = async () => rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-object-id'))));
  const listed = await order();
  expect(listed.indexOf(made.high)).toBeLessThan(listed.indexOf(made.low)); // top of the drawing order first
  const idsBefore = await page.evaluate(() => (window as unknown as Dbg).avsDebug.objectIds(0));

  await page.locator(`[data-testid="object-row"][data-object-id="${made.low}"]`).dragTo(page.locator(`[data-testid="object-row"][data-object-id="${made.high}"]`));

  await expect.poll(async () => {
    const after = await order();
    return after.indexOf(made.low) < after.indexOf(made.high);
  }).toBe(true);
  const z = await page.evaluate(() => (window as unknown as Dbg).avsDebug.store.doc.objects.map((o) => ({ id: o.id, z: o.z })));
  const zOf = (id: number) => z.find((o) => o.id === id)!.z;
  expect(zOf(made.low)).toBeGreaterThan(zOf(made.high));
  expect(z.map((o) => o.id).indexOf(made.low)).toBeGreaterThan(z.map((o) => o.id).indexOf(made.high)); // document order: bottom first
  // One object per pixel: reordering changes no pixel.
  expect(await page.evaluate(() => (window as unknown as Dbg).avsDebug.objectIds(0))).toEqual(idsBefore);
  // The overlay was repainted with the new table and still shows each object's own colour at its pixels.
  const colours = await page.getByTestId('mask-overlay').evaluate((host) => {
    const canvas = host.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const at = (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data];
    return { low: at(30, 30), high: at(50, 30), empty: at(70, 30) };
  });
  expect(colours.low[3]).toBeGreaterThan(0);
  expect(colours.high[3]).toBeGreaterThan(0);
  expect(colours.empty[3]).toBe(0);
  expect(colours.low.slice(0, 3)).not.toEqual(colours.high.slice(0, 3));
  // Undo puts the order back (a z-order change is one history entry).
  await page.keyboard.press('Control+z');
  await expect.poll(async () => {
    const after = await order();
    return after.indexOf(made.high) < after.indexOf(made.low);
  }).toBe(true);
});
