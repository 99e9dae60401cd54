/**
 * The product's whole path in a real Chromium against the real browser-mode server: open a video by path,
 * pre-label it with the bundled CCFormer, see non-empty mask layers drawn by Konva, step/play frames, export
 * AVSS and validate the dataset on disk with the same validator the unit tests use.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { validateAvssDataset } from '../../src-main/dataset';
import { sampleVideo } from './sample-video';
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

/** Error lines on the banner (warnings such as a CPU fallback are expected here and not counted). */
async function errorsShown(page: Page): Promise<string[]> {
  return page.locator('[data-testid="error-banner"] p.error').allInnerTexts();
}

/** Opaque pixels per Konva layer canvas, bottom (frame) to top (tools). */
async function drawnPixels(page: Page): Promise<number[]> {
  return page.locator('[data-testid="frame-view"]').evaluate((view) =>
    [...view.querySelectorAll('canvas')].map((canvas) => {
      if (canvas.style.display === 'none') return 0;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    }));
}

test('open a video, pre-label, see masks, export AVSS, validate on disk', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const video = await sampleVideo(root, work);
  // Browser mode exports to the server's --out folder: the page never sends a path for it.
  const outDir = join(work, 'dataset');
  server = await startServe(root, ['--out', outDir]);

  await page.goto(server.url);
  await page.getByTestId('video-path').fill(video);
  await page.getByTestId('open-video').click();
  await expect(page.getByTestId('video-info')).toContainText(basename(video));
  const frames = page.locator('[data-testid="frame-strip"] button');
  await expect(frames.first()).toBeVisible();
  const frameCount = await frames.count();
  expect(frameCount).toBeGreaterThan(0);

  // Pre-label. Done = frames get their mask marker (prelabel:done over the WebSocket); an error ends the wait too.
  const labelled = page.locator('[data-testid="frame-strip"] button[data-labelled="true"]');
  await page.getByTestId('device-select').selectOption('auto');
  await page.getByTestId('prelabel-start').click();
  const ended = async (): Promise<number> => (await errorsShown(page)).length + (await labelled.count());
  await expect.poll(ended, { timeout: 45_000, message: 'pre-label ended with masks on some frame (or an error)' })
    .toBeGreaterThan(0);
  expect(await errorsShown(page)).toEqual([]);
  await expect(page.getByTestId('prelabel-start')).toBeEnabled();
  await expect(page.getByTestId('provider-badge')).toBeVisible();

  // A frame with masks shows its layers with pixel counts, and Konva really drew them.
  await labelled.first().click();
  const layerRows = page.locator('[data-testid="layer-panel"] li');
  await expect(layerRows.first()).toBeVisible();
  expect(Number(await layerRows.first().getAttribute('data-pixels'))).toBeGreaterThan(0);
  const layers = await layerRows.count();
  await expect.poll(async () => (await drawnPixels(page)).slice(1, 1 + layers).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

  // Hiding the first class removes its pixels from the canvas.
  await layerRows.first().getByRole('checkbox').uncheck();
  await expect.poll(async () => (await drawnPixels(page))[1]).toBe(0);
  await layerRows.first().getByRole('checkbox').check();

  // Keyboard: right arrow steps a frame, and picking a frame seeks the audio to that second.
  await page.locator('[data-testid="frame-strip"] button').first().click();
  await page.keyboard.press('ArrowRight');
  if (frameCount > 1) {
    await expect(page.getByTestId('frame-1')).toHaveAttribute('aria-current', 'true');
    await expect.poll(() => page.getByTestId('audio').evaluate((a) => (a as unknown as { currentTime: number }).currentTime)).toBe(1);
  }
  // Space plays (once, even with a thumbnail focused) and playback moves the frame with the audio clock.
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Pause');
  if (frameCount > 2) await expect(page.getByTestId('frame-2')).toHaveAttribute('aria-current', 'true', { timeout: 5000 });
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Play');

  // Export into the server's fresh --out folder and validate what landed on disk.
  await expect(page.getByTestId('export-where')).toContainText('--out');
  await page.getByTestId('export-split').selectOption('val');
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('export-result')).toContainText(outDir);
  expect(await validateAvssDataset(outDir)).toEqual([]);

  expect(await errorsShown(page)).toEqual([]);
  expect(pageErrors).toEqual([]);
});
