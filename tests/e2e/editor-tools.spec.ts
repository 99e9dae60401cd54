/// <reference lib="dom" />
/**
 * Every tool in real Chromium through real pointer events on the stage, pixels read back from the document:
 * exact brush disc, polygon square, move by whole pixels, magic wand within its tolerance, eraser, undo. Runs on
 * a new object (no pre-label needed), so it holds with or without main's project layer.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let server: ServeHandle | null = null;
test.afterAll(async () => { await server?.stop(); });

interface Dbg {
  avsDebug: {
    objectIds(frame: number): Promise<number[]>;
    view(): { scale: number; x: number; y: number };
    store: { doc: { width: number; frameImage(f: number): { data: Uint8ClampedArray } | undefined }; editor: { selected: number } };
  };
}

/** Screen point of raster point (x, y). */
async function at(page: Page, x: number, y: number): Promise<[number, number]> {
  const box = (await page.getByTestId('stage').boundingBox())!;
  const v = await page.evaluate(() => (window as unknown as Dbg).avsDebug.view());
  return [box.x + v.x + x * v.scale, box.y + v.y + y * v.scale];
}

async function ids(page: Page): Promise<{ id: number; width: number; pixels: number[] }> {
  return page.evaluate(async () => {
    const dbg = (window as unknown as Dbg).avsDebug;
    const all = await dbg.objectIds(0);
    const id = dbg.store.editor.selected;
    return { id, width: dbg.store.doc.width, pixels: all.flatMap((v, i) => (v === id ? [i] : [])) };
  });
}

test('brush, polygon, move, fill and eraser change exactly the expected pixels', async ({ page }) => {
  test.setTimeout(120_000);
  server = await startServe(root, ['--open', join(root, 'assets', 'sample.mp4')]);
  await page.goto(`${server.url}&debug=1`);
  await expect(page.getByTestId('frame-thumb').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('new-object').click();
  await expect(page.locator('[data-testid="object-row"][aria-selected="true"]')).toHaveCount(1);

  // Brush of size 5 at pixel (50, 60): the 21-pixel disc.
  await page.getByTestId('tool-brush').click();
  await page.getByTestId('brush-size').fill('5');
  await page.getByTestId('brush-size').press('Enter');
  await page.mouse.click(...(await at(page, 50.5, 60.5)));
  let got = await ids(page);
  const disc = [];
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (dx * dx + dy * dy <= 6.25) disc.push((60 + dy) * got.width + 50 + dx);
  expect(got.pixels).toEqual(disc.sort((a, b) => a - b));

  // Move it 10 px right with the move tool.
  await page.getByTestId('tool-move').click();
  await page.mouse.move(...(await at(page, 50.5, 60.5)));
  await page.mouse.down();
  await page.mouse.move(...(await at(page, 55.5, 60.5)), { steps: 3 });
  await page.mouse.move(...(await at(page, 60.5, 60.5)), { steps: 3 });
  await page.mouse.up();
  got = await ids(page);
  expect(got.pixels).toEqual(disc.map((i) => i + 10));

  // Polygon square (100,100)-(110,110) closed with Enter: 100 more pixels.
  await page.getByTestId('tool-polygon').click();
  for (const [x, y] of [[100, 100], [110, 100], [110, 110], [100, 110]] as [number, number][]) await page.mouse.click(...(await at(page, x, y)));
  await page.keyboard.press('Enter');
  got = await ids(page);
  expect(got.pixels.length).toBe(21 + 100);
  for (let y = 100; y < 110; y++) for (let x = 100; x < 110; x++) expect(got.pixels).toContain(y * got.width + x);

  // Eraser drag across the square's top row band.
  await page.getByTestId('tool-eraser').click();
  await page.getByTestId('brush-size').fill('1');
  await page.getByTestId('brush-size').press('Enter');
  await page.mouse.move(...(await at(page, 98.5, 100.5)));
  await page.mouse.down();
  await page.mouse.move(...(await at(page, 112.5, 100.5)), { steps: 6 });
  await page.mouse.up();
  got = await ids(page);
  expect(got.pixels.length).toBe(21 + 90);

  // Undo the eraser, then the polygon: the moved disc alone is left.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  got = await ids(page);
  expect(got.pixels).toEqual(disc.map((i) => i + 10));

  // Magic wand at (5, 200) (below the notices): every pixel added is within the tolerance of the seed colour.
  await page.getByTestId('tool-fill').click();
  await page.waitForTimeout(300); // the frame's RGB is read when the tool is chosen
  await page.mouse.click(...(await at(page, 5.5, 200.5)));
  const wand = await page.evaluate(async () => {
    const dbg = (window as unknown as Dbg).avsDebug;
    const all = await dbg.objectIds(0);
    const rgb = dbg.store.doc.frameImage(0)!.data;
    const w = dbg.store.doc.width, seed = (200 * w + 5) * 4, id = dbg.store.editor.selected;
    const tol = 24; // the default tolerance
    let n = 0, off = 0;
    all.forEach((v, i) => {
      if (v !== id) return;
      n++;
      const far = [0, 1, 2].some((c) => Math.abs(rgb[i * 4 + c]! - rgb[seed + c]!) > tol);
      if (far) off++;
    });
    return { n, off, seeded: all[200 * w + 5] === id };
  });
  expect(wand.seeded).toBe(true);
  expect(wand.n).toBeGreaterThan(21);
  expect(wand.off).toBeLessThanOrEqual(21); // only the moved brush disc may differ in colour

  // The context menu reads the same registry: its Undo takes the wand back.
  await page.mouse.click(...(await at(page, 150.5, 150.5)), { button: 'right' });
  await expect(page.getByTestId('stage-menu')).toBeVisible();
  await page.getByTestId('stage-menu').getByRole('menuitem', { name: /^Undo/ }).click();
  await expect(page.getByTestId('stage-menu')).toHaveCount(0);
  got = await ids(page);
  expect(got.pixels).toEqual(disc.map((i) => i + 10));
});
