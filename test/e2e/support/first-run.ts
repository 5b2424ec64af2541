import type { Page } from 'playwright-core';
import type { Owner } from './people.js';

/** On a fresh installation "/" leads to the owner setup; fills it in and lands on the org's streams. */
export async function setUpOwner(page: Page, owner: Owner): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/setup');
  await submitOwnerSetup(page, owner);
}

/** Fills in the open owner-setup page and lands on the new org's streams. */
export async function submitOwnerSetup(page: Page, owner: Owner): Promise<void> {
  await page.getByRole('textbox', { name: /^Name/ }).fill(owner.name);
  await page.getByRole('textbox', { name: /^Email/ }).fill(owner.email);
  await page.getByLabel(/^Password/).fill(owner.password);
  await page.getByRole('textbox', { name: /^Organization name/ }).fill(owner.org);
  await page.getByRole('button', { name: 'Create owner and start' }).click();
  await page.waitForURL(/\/orgs\/[^/]+\/streams$/);
}
