/**
 * The audio panel in a real Chromium against the real browser-mode server: waveform and log-mel spectrogram
 * drawn from main's per-range data, click to seek (frame, highlighted second and the <video> playhead move
 * together), playback of the real video keeps the frame in step with its clock, zoom changes the time axis.
 */
import { expect, test, type Locator } from '@playwright/test';
import { join } from 'node:path';
import { openVideo, pageErrorsOf } from './open-video';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let server: ServeHandle | null = null;
test.afterAll(async () => {
  await server?.stop();
});

/** Opaque pixels and distinct colours drawn on a canvas. */
async function drawn(canvas: Locator): Promise<{ opaque: number; colours: number }> {
  return canvas.evaluate((node) => {
    // The main tsconfig has no DOM lib: the page-side types are spelled out.
    const c = node as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let opaque = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0) opaque++;
      colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    }
    return { opaque, colours: colours.size };
  });
}

const videoTime = (video: Locator): Promise<number> => video.evaluate((v) => (v as unknown as { currentTime: number }).currentTime);

test('audio panel: drawn, seeks, in sync with the frame', async ({ page }) => {
  const pageErrors = pageErrorsOf(page);
  server = await startServe(root);
  await page.goto(server.url);
  await openVideo(page, join(root, 'assets', 'sample.mp4'));

  const panel = page.getByTestId('audio-panel');
  await expect(panel).toBeVisible();
  await expect.poll(() => panel.getAttribute('data-columns').then(Number)).toBeGreaterThan(100);
  await expect.poll(async () => (await drawn(page.getByTestId('waveform'))).opaque).toBeGreaterThan(500);
  const spec = await drawn(page.getByTestId('spectrogram'));
  expect(spec.colours).toBeGreaterThan(20); // a real spectrogram, not a flat fill

  // A short video opens fitted: its whole length fills the lane and nothing is drawn past its end.
  const laneBox = async (): Promise<{ x: number; width: number }> => (await page.locator('[data-testid="audio-panel"] .lane').boundingBox())!;
  const fitted = Number(await panel.getAttribute('data-px-per-sec'));
  const duration = 10; // assets/sample.mp4
  expect(Math.abs(fitted * duration - (await laneBox()).width)).toBeLessThanOrEqual(1);
  const waveBox = (await page.getByTestId('waveform').boundingBox())!;
  expect(waveBox.width).toBeLessThanOrEqual(fitted * duration + 1);
  expect(Math.abs(waveBox.x - (await laneBox()).x)).toBeLessThanOrEqual(1);

  // One time axis: the left edge of the timeline's second k is the waveform's x for second k (within 1 px).
  await page.getByTestId('new-object').click();
  const aligned = async (): Promise<void> => {
    const scale = Number(await panel.getAttribute('data-px-per-sec'));
    const start = Number(await panel.getAttribute('data-start-sec'));
    const wave = (await page.getByTestId('waveform').boundingBox())!;
    const cells = page.getByTestId('sound-cell');
    const count = await cells.count();
    expect(count).toBeGreaterThan(1);
    for (let i = 0; i < count; i++) {
      const cell = cells.nth(i);
      const k = Number(await cell.getAttribute('data-second'));
      const box = await cell.boundingBox();
      if (!box || box.x > wave.x + wave.width) continue;
      expect(Math.abs(box.x - (wave.x + (k - start) * scale)), `second ${k}`).toBeLessThanOrEqual(1);
    }
  };
  await expect(page.getByTestId('sound-cell').first()).toBeVisible();
  await aligned();

  // Click inside second 3 of the lane: frame 3 is shown, second 3 is highlighted, the video is at 3 s.
  const px = Number(await panel.getAttribute('data-px-per-sec'));
  const lane = page.locator('[data-testid="audio-panel"] .lane');
  await lane.click({ position: { x: 3.5 * px, y: 40 } });
  await expect(page.locator('[data-testid="frame-thumb"][data-frame="3"]')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('audio-cursor')).toHaveAttribute('data-second', '3');
  const video = page.getByTestId('playback-video');
  await expect.poll(() => videoTime(video)).toBe(3);

  // Drag to second 6.
  await lane.hover({ position: { x: 1.5 * px, y: 40 } });
  await page.mouse.down();
  await lane.hover({ position: { x: 6.2 * px, y: 40 } });
  await page.mouse.up();
  await expect(page.getByTestId('audio-cursor')).toHaveAttribute('data-second', '6');

  // Play the real video: its clock moves and the frame follows it second by second.
  await lane.click({ position: { x: 1.5 * px, y: 40 } });
  await page.getByTestId('play-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Pause');
  await expect.poll(() => videoTime(video), { timeout: 8000 }).toBeGreaterThan(2.2);
  const [t, shown] = await Promise.all([videoTime(video), page.getByTestId('audio-cursor').getAttribute('data-second')]);
  expect(Math.abs(Math.floor(t) - Number(shown))).toBeLessThanOrEqual(1);
  await page.getByTestId('play-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Play');

  // Zoom in: twice the pixels per second, redrawn for the new range.
  await page.getByTestId('audio-zoom-in').click();
  await expect(panel).toHaveAttribute('data-px-per-sec', String(px * 2));
  await expect.poll(() => panel.getAttribute('data-columns').then(Number)).toBeGreaterThan(0);
  await expect.poll(async () => Number(await panel.getAttribute('data-columns')) <= (await laneBox()).width + 1).toBe(true);
  await expect(aligned).toPass({ timeout: 10_000 });

  // The wheel over the timeline scrolls the one shared view: the lane follows and the axis stays shared.
  await page.getByTestId('sound-timeline').hover();
  await page.mouse.wheel(0, 2 * px * 2);
  await expect.poll(() => panel.getAttribute('data-start-sec').then(Number)).toBeGreaterThan(0);
  await expect(aligned).toPass({ timeout: 10_000 });
  expect(pageErrors).toEqual([]);
});

test('audio panel: a video opened from the command line is fitted once the lane is measured', async ({ page }) => {
  await server?.stop();
  server = await startServe(root, ['--open', join(root, 'assets', 'sample.mp4')]);
  await page.goto(server.url);
  const panel = page.getByTestId('audio-panel');
  await expect.poll(() => panel.getAttribute('data-columns').then(Number)).toBeGreaterThan(100);
  const lane = (await page.locator('[data-testid="audio-panel"] .lane').boundingBox())!;
  // The whole 10-s video fills the lane; the waveform stops at its end.
  await expect.poll(() => panel.getAttribute('data-px-per-sec').then(Number)).toBeCloseTo(lane.width / 10, 0);
  const wave = (await page.getByTestId('waveform').boundingBox())!;
  expect(wave.width).toBeLessThanOrEqual(lane.width + 1);
  // Zoomed out, the 10 s take half the lane: the canvases end at 10 s, the rest of the lane is left undrawn.
  await page.getByTestId('audio-zoom-out').click();
  const px = Number(await panel.getAttribute('data-px-per-sec'));
  expect(px * 10).toBeLessThan(lane.width * 0.6);
  await expect.poll(async () => Math.abs((await page.getByTestId('waveform').boundingBox())!.width - px * 10)).toBeLessThanOrEqual(2);
  await expect.poll(async () => Math.abs((await page.getByTestId('spectrogram').boundingBox())!.width - px * 10)).toBeLessThanOrEqual(2);
});
