/**
 * Playback over the frame view in a real Chromium against the real server: Play shows the real video in the
 * frame image's place with the frame view's zoom/pan transform, the mask overlay on top follows the video's
 * clock second by second, and pause returns to the sampled frame of the current second.
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

interface Placement { video: { x: number; y: number; w: number; h: number }; view: { x: number; y: number; w: number; h: number }; overlayTransform: string; videoTransform: string }

/** Where the video is on screen, and where the view's transform puts the raster (from the mask overlay). */
async function placement(page: Page): Promise<Placement> {
  return page.getByTestId('stage').evaluate((stage) => {
    type El = { style: { transform: string }; getBoundingClientRect(): { left: number; top: number; width: number; height: number } };
    const q = (id: string): El => (stage as unknown as { querySelector(s: string): El }).querySelector(`[data-testid="${id}"]`);
    const video = q('playback-video') as El & { width: number; height: number };
    const overlay = q('mask-overlay');
    const m = /matrix\(([^,]+), [^,]+, [^,]+, [^,]+, ([^,]+), ([^)]+)\)/.exec(overlay.style.transform)!;
    const [scale, ox, oy] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const box = (stage as unknown as El).getBoundingClientRect();
    const r = video.getBoundingClientRect();
    return {
      video: { x: r.left, y: r.top, w: r.width, h: r.height },
      view: { x: box.left + ox, y: box.top + oy, w: video.width * scale, h: video.height * scale },
      overlayTransform: overlay.style.transform, videoTransform: video.style.transform,
    };
  });
}

/** The video's clock and the overlay's frame, read in one task. */
const clock = (page: Page): Promise<{ t: number; frame: number; visible: boolean }> => page.evaluate(() => {
  const d = (globalThis as unknown as { document: { querySelector(s: string): { currentTime: number; dataset: Record<string, string> } } }).document;
  const v = d.querySelector('[data-testid="playback-video"]');
  const style = (globalThis as unknown as { getComputedStyle(e: unknown): { visibility: string } }).getComputedStyle(v);
  return { t: v.currentTime, frame: Number(d.querySelector('[data-testid="mask-overlay"]').dataset['frame']), visible: style.visibility === 'visible' };
});

test('playback: the real video over the frame view, at its transform, masks following its clock', async ({ page }) => {
  const pageErrors = pageErrorsOf(page);
  server = await startServe(root);
  await page.goto(server.url);
  await openVideo(page, join(root, 'assets', 'sample.mp4'));
  await expect(page.getByTestId('frame-loading')).toHaveCount(0, { timeout: 30_000 });

  // Zoom in around an off-centre point so the transform is not the fitted one.
  const stage = (await page.getByTestId('stage').boundingBox())!;
  await page.mouse.move(stage.x + stage.width * 0.3, stage.y + stage.height * 0.4);
  await page.mouse.wheel(0, -300);
  await expect(page.getByTestId('zoom')).not.toHaveText('100 %');
  const paused = await clock(page);
  expect(paused.visible).toBe(false);

  await page.locator('[data-testid="frame-thumb"][data-frame="1"]').click();
  await page.getByTestId('play-toggle').click();
  await expect.poll(async () => (await clock(page)).t, { timeout: 10_000 }).toBeGreaterThan(1.3);
  const p = await placement(page);
  expect(p.videoTransform).toBe(p.overlayTransform);
  for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(p.video[k] - p.view[k]), k).toBeLessThanOrEqual(1);

  // The overlay's frame is the video's second (a sample taken just after a boundary may lag one tick).
  const seen = new Set<number>();
  for (let i = 0; i < 8; i++) {
    const c = await clock(page);
    expect(c.visible).toBe(true);
    const second = Math.floor(c.t);
    const lagging = c.frame === second - 1 && c.t - second < 0.1;
    expect(c.frame === second || lagging, `t=${c.t} frame=${c.frame}`).toBe(true);
    seen.add(c.frame);
    await page.waitForTimeout(200);
  }
  expect(seen.size).toBeGreaterThanOrEqual(2);

  // Pause: the video is hidden and the sampled frame of the current second is shown again.
  await page.getByTestId('play-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Play');
  const stopped = await clock(page);
  expect(stopped.visible).toBe(false);
  const lastFrame = 9; // assets/sample.mp4 has 10 sampled frames; a loaded machine may have played to the end
  expect(stopped.frame).toBe(Math.min(lastFrame, Math.floor(stopped.t)));
  await expect(page.locator(`[data-testid="frame-thumb"][data-frame="${stopped.frame}"]`)).toHaveAttribute('aria-current', 'true');
  expect(pageErrors).toEqual([]);
});
