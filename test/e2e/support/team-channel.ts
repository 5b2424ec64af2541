import type { Locator, Page } from 'playwright-core';

/** Settings → Channels on an org with none: connects the team feed, which needs nothing filled in. Returns its row. */
export async function connectTeamFeedChannel(page: Page): Promise<Locator> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-channels').click();
  await page.getByTestId('no-channels').waitFor();
  await page.getByTestId('connect-network-team').click();
  await page.getByTestId('submit-team').click();
  const row = page.locator('[data-testid="channel-row"][data-network="team"]');
  await row.waitFor();
  return row;
}
