/// <reference lib="dom" />
/**
 * The project menu in real Chromium against the real browser-mode server: New project at a typed folder, one
 * edit, Save as another folder; on disk the copy holds the edit, the first folder's lock was released and the
 * copy's lock is its own, the name in the top bar follows, and both folders are listed under Open recent. A
 * refused save as (a folder that is not empty) shows one readable notice and changes nothing. The screenshot of
 * the open menu lands in test-results/screens/ (the README's comes from there).
 */
import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePalettePng } from '../../src-main/dataset/png';
import { AVSS_CLASSES, AVSS_PALETTE } from '../../src-main/shared/avss-classes';
import { openVideo } from './open-video';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
const shots = join(root, 'test-results', 'screens');
const work = mkdtempSync(join(tmpdir(), 'avs-e2e-projects-'));
let server: ServeHandle | null = null;

test.afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Manifest { name: string; videos: { objects: { id: number }[] }[] }
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as Manifest;
const lockToken = (dir: string): string => (JSON.parse(readFileSync(join(dir, '.avs-lock'), 'utf8')) as { token: string }).token;

test('new project, one edit, save as: the copy has the edit, the old lock is gone, the name follows', async ({ page }) => {
  test.setTimeout(90_000);
  server = await startServe(root);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(server.url);
  await expect(page.getByTestId('project-name')).toHaveText('No project');

  const first = join(work, 'first');
  await page.getByTestId('project-menu').click();
  await page.getByTestId('project-new').click();
  await page.getByTestId('project-path-input').fill(first);
  await page.getByTestId('project-path-ok').click();
  await expect(page.getByTestId('project-name')).toHaveText('first');
  expect(existsSync(join(first, 'project.json'))).toBe(true);

  await openVideo(page, join(root, 'assets', 'sample.mp4'));
  await expect(page.getByTestId('frame-thumb').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('new-object').click();
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  const firstLock = lockToken(first);

  // Refused: a folder that holds something. One notice naming it; the project stays as it was.
  const taken = join(work, 'taken');
  mkdirSync(taken);
  writeFileSync(join(taken, 'notes.txt'), 'mine');
  await page.getByTestId('project-menu').click();
  await page.getByTestId('project-save-as').click();
  await page.getByTestId('project-path-input').fill(taken);
  await page.getByTestId('project-path-ok').click();
  await expect(page.getByTestId('notice').filter({ hasText: `${taken} is not empty` })).toHaveCount(1);
  await expect(page.getByTestId('notice').filter({ hasText: /E[A-Z]{3,}:/ })).toHaveCount(0);
  await expect(page.getByTestId('project-name')).toHaveText('first');

  // Save as through the keyboard's chord (the registry), into a new folder.
  const second = join(work, 'second');
  await page.getByTestId('frame-thumb').first().click();
  await page.keyboard.press('Control+Shift+S');
  await page.getByTestId('project-path-input').fill(second);
  await page.screenshot({ path: join(shots, 'project-path-1280.png') });
  await page.getByTestId('project-path-ok').click();
  await expect(page.getByTestId('project-name')).toHaveText('second');

  const copy = manifest(second);
  expect(copy.name).toBe('second');
  expect(copy.videos[0]!.objects.map((o) => o.id)).toEqual([1]);
  expect(existsSync(join(first, '.avs-lock'))).toBe(false);
  expect(lockToken(second)).not.toBe(firstLock);
  expect(manifest(first).videos[0]!.objects).toHaveLength(1);

  // Open recent lists both folders, newest first; one whose folder is gone is greyed and can be removed. The
  // menu as users see it is the README's screenshot.
  rmSync(first, { recursive: true });
  await page.getByTestId('notice').locator('.el-alert__close-btn').click();
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await page.getByTestId('video-path').fill(''); // the screenshot shows the box's hint, not this machine's path
  await page.getByTestId('project-menu').click();
  await page.locator('.recent-trigger').hover();
  const recent = page.getByTestId('project-recent');
  await expect(recent.first()).toBeVisible();
  expect(await recent.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual([second, first]);
  await expect(recent.nth(1)).toHaveAttribute('data-missing', 'true');
  await expect(recent.nth(1)).toContainText('(missing)');
  await expect(recent.nth(0)).toHaveAttribute('data-missing', 'false');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'project-menu-1280.png') });
  await recent.nth(1).getByTestId('project-recent-remove').click();
  await expect(recent).toHaveCount(1);
  await expect(page.getByTestId('project-name')).toHaveText('second');
  expect(problems).toEqual([]);
});

test('Import masks: a folder of palette PNGs lands in the shown video as an object with those pixels', async ({ page }) => {
  test.setTimeout(90_000);
  const own = await startServe(root, ['--project', join(work, 'imported')]);
  try {
    // Frame 2 of the 224x224 sample: a 40x30 rectangle of "dog" (palette index = AVSS class index).
    const dog = AVSS_CLASSES.indexOf('dog');
    const indices = new Uint8Array(224 * 224);
    for (let y = 50; y < 80; y++) for (let x = 20; x < 60; x++) indices[y * 224 + x] = dog;
    const masks = join(work, 'masks');
    mkdirSync(masks, { recursive: true });
    writeFileSync(join(masks, '2.png'), encodePalettePng(224, 224, indices, AVSS_PALETTE));

    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(own.url);
    await openVideo(page, join(root, 'assets', 'sample.mp4'));
    await expect(page.getByTestId('frame-thumb').first()).toBeVisible({ timeout: 30_000 });

    // A folder with a broken file is refused as a whole, naming that file.
    const broken = join(work, 'broken-masks');
    mkdirSync(broken);
    writeFileSync(join(broken, '1.png'), 'not a png');
    await page.getByTestId('project-menu').click();
    await page.getByTestId('project-import-masks').click();
    await page.getByTestId('project-path-input').fill(broken);
    await page.getByTestId('project-path-ok').click();
    await expect(page.getByTestId('notice').filter({ hasText: join(broken, '1.png') })).toHaveCount(1);
    await expect(page.getByTestId('object-row')).toHaveCount(0);

    await page.getByTestId('project-menu').click();
    await page.getByTestId('project-import-masks').click();
    await page.getByTestId('project-path-input').fill(masks);
    await page.getByTestId('project-path-ok').click();
    await expect(page.getByTestId('notice').filter({ hasText: 'Imported 1 mask file(s)' })).toHaveCount(1);
    const row = page.getByTestId('object-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-class', String(dog));
    await page.locator('[data-testid="frame-thumb"][data-frame="2"]').click();
    await expect(row).toHaveAttribute('data-pixels', String(40 * 30));
  } finally {
    await own.stop();
  }
});
