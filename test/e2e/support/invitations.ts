import type { Page } from 'playwright-core';
import type { Person } from './people.js';

/** Settings → Team: creates an invitation for the role as the picker names it, and returns its link. */
export async function invite(owner: Page, role: string): Promise<string> {
  await owner.getByTestId('nav-settings').click();
  await owner.getByTestId('settings-tab-team').click();
  await owner.getByTestId('invite-role').click();
  await owner.getByRole('option', { name: role, exact: true }).click();
  await owner.getByTestId('create-invitation').click();
  const url = owner.getByTestId('invite-url');
  await url.waitFor();
  return url.inputValue();
}

/** Opens the invitation link, creates the account and lands on the org's streams. */
export async function signUpFromInvitation(page: Page, url: string, who: Person): Promise<void> {
  await page.goto(url);
  await page.getByTestId('invitation-summary').waitFor();
  await page.getByRole('textbox', { name: /^Name/ }).fill(who.name);
  await page.getByRole('textbox', { name: /^Email/ }).fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await page.waitForURL(/\/orgs\/[^/]+\/streams$/);
}
