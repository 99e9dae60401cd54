/** What most end-to-end tests start with: the page's uncaught errors collected, and a video opened as a user of browser mode opens one. */
import type { Page } from '@playwright/test';

/** The page's uncaught errors, filled as they happen (a test ends by expecting none). */
export function pageErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Types `video` into the path box and presses Open (the page must be loaded). */
export async function openVideo(page: Page, video: string): Promise<void> {
  await page.getByTestId('video-path').fill(video);
  await page.getByTestId('open-video').click();
}
