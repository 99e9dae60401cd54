/**
 * The frame strip on the audio dock's time axis, in a real Chromium against the real server: the centre of
 * frame-thumb k is the centre of second k of the audio panel's waveform (and of the sound timeline's cell k),
 * within 2 px, at the fitted zoom, zoomed in, and after scrolling the shared view with the wheel.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { openVideo, pageErrorsOf } from './open-video';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let server: ServeHandle | null = null;
test.afterAll(async () => {
  await server?.stop();
});

/** Checks every thumbnail in view against the waveform's time axis; returns how many were checked. */
async function checkAligned(page: Page): Promise<number> {
  const panel = page.getByTestId('audio-panel');
  const scale = Number(await panel.getAttribute('data-px-per-sec'));
  const start = Number(await panel.getAttribute('data-start-sec'));
  const wave = (await page.getByTestId('waveform').boundingBox())!;
  const lane = (await page.locator('[data-testid="audio-panel"] .lane').boundingBox())!;
  const thumbs = page.getByTestId('frame-thumb');
  let checked = 0;
  for (let i = 0; i < (await thumbs.count()); i++) {
    const thumb = thumbs.nth(i);
    const k = Number(await thumb.getAttribute('data-frame'));
    const box = (await thumb.boundingBox())!;
    const centre = box.x + box.width / 2;
    if (centre < lane.x || centre > lane.x + lane.width) continue; // scrolled out of the lane
    expect(Math.abs(centre - (wave.x + (k + 0.5 - start) * scale)), `thumb ${k} vs waveform`).toBeLessThanOrEqual(2);
    const cell = (await page.locator(`[data-testid="sound-cell"][data-second="${k}"]`).first().boundingBox())!;
    expect(Math.abs(centre - (cell.x + cell.width / 2)), `thumb ${k} vs sound cell`).toBeLessThanOrEqual(2);
    checked++;
  }
  return checked;
}

test('frame strip: thumbnail k sits over second k of the audio panel, zoomed and scrolled', async ({ page }) => {
  const pageErrors = pageErrorsOf(page);
  server = await startServe(root);
  await page.goto(server.url);
  await openVideo(page, join(root, 'assets', 'sample.mp4'));
  const panel = page.getByTestId('audio-panel');
  await expect.poll(() => panel.getAttribute('data-columns').then(Number)).toBeGreaterThan(100);
  await page.getByTestId('new-object').click();
  await expect(page.getByTestId('sound-cell').first()).toBeVisible();

  // Fitted: the whole 10-s sample in the lane, all ten thumbnails on the axis.
  await expect.poll(() => checkAligned(page), { timeout: 10_000 }).toBe(10);

  // Zoomed in: fewer seconds in view, each still over its second.
  const fitted = Number(await panel.getAttribute('data-px-per-sec'));
  await page.getByTestId('audio-zoom-in').click();
  await expect(panel).toHaveAttribute('data-px-per-sec', String(fitted * 2));
  await expect(async () => {
    const n = await checkAligned(page);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(10);
  }).toPass({ timeout: 10_000 });

  // The wheel over the strip scrolls the one shared view: strip, waveform and timeline move together.
  await page.getByTestId('frame-strip').hover();
  await page.mouse.wheel(0, fitted * 2 * 3);
  await expect.poll(() => panel.getAttribute('data-start-sec').then(Number)).toBeGreaterThan(0);
  await expect(async () => {
    expect(await checkAligned(page)).toBeGreaterThan(0);
    const firstShown = Number(await page.getByTestId('frame-thumb').first().getAttribute('data-frame'));
    expect(firstShown).toBeGreaterThan(0);
  }).toPass({ timeout: 10_000 });
  expect(pageErrors).toEqual([]);
});
