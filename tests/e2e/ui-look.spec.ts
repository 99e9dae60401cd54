/// <reference lib="dom" />
/**
 * The look in real Chromium under the app's strict CSP: the main views at 1280x720 and at 4K (device scale 2)
 * render with no CSP violation (Element Plus must not need inline styles or scripts), no page error and no
 * horizontal overflow. The screenshots land in test-results/screens/ (the README's come from there).
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startServe, type ServeHandle } from './serve';

const root = join(import.meta.dirname, '..', '..');
const shots = join(root, 'test-results', 'screens');
let server: ServeHandle | null = null;

test.afterAll(async () => { await server?.stop(); });

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

async function noOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('main views render under the strict CSP at 1280x720 and 4K', async ({ browser }) => {
  test.setTimeout(150_000);
  server = await startServe(root, ['--open', join(root, 'assets', 'sample.mp4')]);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const problems = watchProblems(page);
  const csp: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => csp.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.goto(server.url);
  await expect(page.getByTestId('video-info')).toContainText('sample.mp4');
  await expect(page.getByTestId('frame-loading')).toHaveCount(0, { timeout: 20_000 });
  await page.screenshot({ path: join(shots, 'opened-1280.png') });
  await page.getByTestId('open-model').click();
  await expect(page.getByTestId('model-path')).toBeVisible();
  await page.screenshot({ path: join(shots, 'open-model-1280.png') });
  await page.keyboard.press('Escape');
  await page.getByTestId('video-info').click();

  await page.getByTestId('prelabel').click();
  await expect(page.locator('[data-testid="frame-thumb"][data-labelled="true"]').first()).toBeVisible({ timeout: 90_000 });
  await page.locator('[data-testid="frame-thumb"][data-labelled="true"]').first().click();
  await expect(page.getByTestId('object-row').first()).toBeVisible();
  await page.getByTestId('object-row').first().click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(shots, 'editor-1280.png') });
  await noOverflow(page);

  await page.getByTestId('mask-view').getByText('Outline').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'outline-1280.png') });
  await page.getByTestId('mask-view').getByText('Fill').click();

  // Tooltips, selects, dropdowns and dialogs are the Element Plus parts most likely to want inline styles.
  await page.getByTestId('tool-polygon').hover();
  await page.waitForTimeout(600);
  await page.getByTestId('device-select').click();
  await page.waitForTimeout(300);
  await page.keyboard.press('Escape');
  await page.getByTestId('help').click();
  await expect(page.getByTestId('shortcuts-help')).toBeVisible();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(shots, 'shortcuts-1280.png') });
  await page.keyboard.press('Escape');
  await page.getByTestId('theme').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'light-1280.png') });
  await page.getByTestId('theme').click();

  const big = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 2 });
  const bigProblems = watchProblems(big);
  await big.goto(server.url);
  await expect(big.getByTestId('object-row').first()).toBeVisible({ timeout: 20_000 });
  await big.waitForTimeout(800);
  await big.screenshot({ path: join(shots, 'editor-4k.png') });
  await noOverflow(big);

  expect(csp).toEqual([]);
  expect([...problems, ...bigProblems].filter((p) => /Content Security Policy|pageerror/.test(p))).toEqual([]);
});
