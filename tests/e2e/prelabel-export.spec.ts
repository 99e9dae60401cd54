/// <reference lib="dom" />
/**
 * The product's whole path in a real Chromium against the real browser-mode server: open a video by path,
 * pre-label it with the bundled CCFormer, correct one object with brush + eraser + polygon (real pointer
 * events on the stage), undo and redo, approve the frame, export AVSS, and check on disk that the exported
 * labels_semantic PNGs hold exactly the corrected pixels on that frame and the model's pixels everywhere else.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decodePng } from '../../src-main/dataset/png';
import { validateAvssDataset } from '../../src-main/dataset';
import { sampleVideo } from './sample-video';
import { openVideo } from './open-video';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let work = '';
let server: ServeHandle | null = null;

test.beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'avs-e2e-'));
});
test.afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function errorsShown(page: Page): Promise<string[]> {
  return page.locator('[data-testid="notice"][data-severity="error"]').allInnerTexts();
}

interface DebugWindow { avsDebug: { classMap(frame: number): Promise<number[]> } }

function classMap(page: Page, frame: number): Promise<number[]> {
  return page.evaluate(async (f) => (window as unknown as DebugWindow).avsDebug.classMap(f), frame);
}

/** Drags on the stage between two points given as fractions of the stage box. */
async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = (await page.getByTestId('stage').boundingBox())!;
  const at = (p: [number, number]): [number, number] => [box.x + box.width * p[0], box.y + box.height * p[1]];
  await page.mouse.move(...at(from));
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(at(from)[0] + ((at(to)[0] - at(from)[0]) * i) / 10, at(from)[1] + ((at(to)[1] - at(from)[1]) * i) / 10);
  }
  await page.mouse.up();
}

async function click(page: Page, p: [number, number]): Promise<void> {
  const box = (await page.getByTestId('stage').boundingBox())!;
  await page.mouse.click(box.x + box.width * p[0], box.y + box.height * p[1]);
}

async function findFiles(dir: string, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory() && entry.name === name) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

test('pre-label, correct with brush + eraser + polygon, undo/redo, approve, export exactly those pixels', async ({ page }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const video = await sampleVideo(root, work);
  // Browser mode exports to the server's --out folder: the page never sends a path for it.
  const outDir = join(work, 'dataset');
  server = await startServe(root, ['--out', outDir]);

  await page.goto(`${server.url}&debug=1`);
  await openVideo(page, video);
  await expect(page.getByTestId('video-info')).toContainText(basename(video));
  const thumbs = page.getByTestId('frame-thumb');
  await expect(thumbs.first()).toBeVisible();
  const frameCount = await thumbs.count();

  await page.getByTestId('prelabel').click();
  const labelled = page.locator('[data-testid="frame-thumb"][data-labelled="true"]');
  const ended = async (): Promise<number> => (await errorsShown(page)).length + (await labelled.count());
  await expect.poll(ended, { timeout: 90_000 }).toBeGreaterThan(0);
  expect(await errorsShown(page)).toEqual([]);
  await expect(page.getByTestId('prelabel')).toBeEnabled();

  // The model's masks of every frame, before any edit.
  const model: number[][] = [];
  for (let k = 0; k < frameCount; k++) model.push(await classMap(page, k));

  const frame = Number(await labelled.first().getAttribute('data-frame'));
  await labelled.first().click();
  await expect(thumbs.nth(frame)).toHaveAttribute('aria-current', 'true');
  const rows = page.getByTestId('object-row');
  await expect(rows.first()).toBeVisible();
  const pixels = (): Promise<number[]> => rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-pixels'))));
  await expect.poll(async () => Math.max(...(await pixels()))).toBeGreaterThan(0);
  // The object with the most pixels on this frame.
  const counts = await pixels();
  const row = rows.nth(counts.indexOf(Math.max(...counts)));
  await row.locator('.px').click();
  await expect(row).toHaveAttribute('aria-selected', 'true');

  // Brush, eraser, polygon: real pointer events on the stage.
  await page.getByTestId('tool-brush').click();
  await page.getByTestId('brush-size').fill('9');
  await page.getByTestId('brush-size').press('Enter');
  await drag(page, [0.2, 0.2], [0.8, 0.3]);
  await page.getByTestId('tool-eraser').click();
  await drag(page, [0.5, 0.1], [0.5, 0.9]);
  await page.getByTestId('tool-polygon').click();
  for (const p of [[0.1, 0.6], [0.3, 0.6], [0.3, 0.8], [0.1, 0.8]] as [number, number][]) await click(page, p);
  await page.keyboard.press('Enter');
  const corrected = await classMap(page, frame);
  expect(corrected).not.toEqual(model[frame]);

  // Undo the polygon, then redo it: the document comes back exactly.
  await page.getByTestId('undo').click();
  expect(await classMap(page, frame)).not.toEqual(corrected);
  await page.getByTestId('redo').click();
  expect(await classMap(page, frame)).toEqual(corrected);
  await expect(thumbs.nth(frame)).toHaveAttribute('data-review', 'edited');

  await page.getByTestId('approve-frame').click();
  await expect(thumbs.nth(frame)).toHaveAttribute('data-review', 'approved');
  await expect(page.getByTestId('review-progress')).toHaveText(`1 / ${frameCount}`);
  await expect(page.getByTestId('save-state')).toHaveText('saved', { timeout: 10_000 });

  // Export into the server's fresh --out folder (the page cannot choose another) and validate what landed on disk.
  await page.getByTestId('export').click();
  // Left empty, the folder is the server's own --out (the page sends no path).
  await expect(page.getByTestId('export-folder')).toHaveAttribute('placeholder', /--out/);
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 60_000 });
  expect(await validateAvssDataset(outDir)).toEqual([]);

  const [labels] = await findFiles(outDir, 'labels_semantic');
  for (let k = 0; k < frameCount; k++) {
    const png = decodePng(await readFile(join(labels!, `${k}.png`)));
    const expected = k === frame ? corrected : model[k]!;
    expect([...png.data], `labels_semantic/${k}.png`).toEqual(expected);
  }
  expect(await errorsShown(page)).toEqual([]);
  // The edits went through the project (main's document), not an in-memory fallback.
  expect(await page.getByTestId('notice').allInnerTexts()).not.toContainEqual(expect.stringContaining('not saved'));
  expect(pageErrors).toEqual([]);
});
