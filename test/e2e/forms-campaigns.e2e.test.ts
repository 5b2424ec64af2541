import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { screenshot } from './support/screenshots.js';

/**
 * Forms, campaigns and the contacts CSV import in a real Chromium against the built server:
 * the owner builds a form, a signed-out visitor fills in its public page and becomes a contact;
 * the owner creates a campaign and lands on its report; a CSV with a bad row shows that row's
 * line and imports nothing until the owner ticks that it is skipped. axe finds nothing critical
 * or serious on the Forms and Campaigns screens. Needs `npm run build` and a Chromium.
 */

const OWNER = { name: 'Aiko Mori', email: 'aiko@example.com', password: 'correct horse battery', org: 'Mori Tea' };
const VISITOR = { name: 'Ren Sato', email: 'ren@example.net' };

let app: E2eSession;

beforeAll(async () => {
  app = await startE2eSession({ name: 'forms-campaigns' });
});

afterAll(async () => {
  await app?.close();
});

describe('forms, campaigns and contacts import in Chromium', () => {
  it('builds a form a visitor fills in, creates a campaign, and shows the line of a bad CSV row', { timeout: 300_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    page.setDefaultTimeout(20_000);
    // The pointer leaves the nav link it clicked: a hovered active link is the shell's, not these screens'.
    const accessible = async (screen: string) => {
      await page.mouse.move(600, 5);
      await expectAccessible(page, screen);
    };

    // Build a form: the name and email fields are there already.
    await page.getByTestId('nav-forms').click();
    await page.getByTestId('page-forms').waitFor();
    await page.getByTestId('forms-empty').waitFor();
    await accessible('forms (empty)');
    await page.getByTestId('new-form').click();
    await page.getByTestId('form-name').fill('Tea tasting sign-up');
    await accessible('form builder');
    await page.getByTestId('form-save').click();
    const row = page.getByTestId('form-row').filter({ hasText: 'Tea tasting sign-up' });
    await row.waitFor();
    await accessible('forms list');
    await screenshot(page, 'fc01-forms');
    const publicUrl = await row.getByTestId('form-public-link').getAttribute('href');
    expect(publicUrl).toMatch(/\/f\/[^/]+$/);

    // A visitor who is not signed in fills it in.
    const visitor = await app.newPage('visitor');
    await visitor.page.goto(publicUrl!);
    await visitor.page.getByLabel('Name').fill(VISITOR.name);
    await visitor.page.getByLabel('Email').fill(VISITOR.email);
    await visitor.page.getByRole('button').click();
    await visitor.page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    await visitor.context.close();

    // The submission is counted and the visitor is a contact.
    await page.reload();
    await expect.poll(() => page.getByTestId('form-row').filter({ hasText: 'Tea tasting sign-up' }).getByTestId('form-submission-count').innerText()).toBe('1');
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-search').fill(VISITOR.email);
    await page.getByText(VISITOR.name).first().waitFor();

    // A campaign: created from the Campaigns page, which opens its own page with the report.
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaigns-empty').waitFor();
    await accessible('campaigns (empty)');
    await page.getByTestId('new-campaign').click();
    await page.getByTestId('campaign-name').fill('Spring tasting');
    await page.getByTestId('campaign-description').fill('Tastings in April and May.');
    await page.getByTestId('campaign-starts').fill('2027-04-01');
    await page.getByTestId('campaign-ends').fill('2027-05-31');
    await accessible('new campaign');
    await page.getByTestId('campaign-save').click();
    await page.waitForURL(/\/campaigns\/[^/]+$/);
    await page.getByTestId('campaign-title').filter({ hasText: 'Spring tasting' }).waitFor();
    await page.getByTestId('campaign-report').waitFor();
    expect(await page.getByTestId('report-posts').innerText()).toBe('0');
    expect(await page.getByTestId('report-clicks-human').innerText()).toBe('0');
    expect(await page.getByTestId('report-clicks-bot').innerText()).toBe('0');
    await accessible('campaign page');
    await screenshot(page, 'fc02-campaign');
    // The conversation count opens the inbox filtered to the campaign, which links back to it.
    const campaignUrl = page.url();
    await page.getByTestId('report-conversations').click();
    await page.waitForURL(/\/inbox\?campaign=[^&]+$/);
    await page.getByTestId('inbox-empty').waitFor();
    await expect.poll(() => page.getByTestId('inbox-campaign-link').innerText()).toBe('Spring tasting');
    await accessible('inbox filtered to a campaign');
    await page.getByTestId('inbox-campaign-link').click();
    await page.waitForURL(campaignUrl);
    await page.getByRole('link', { name: '← All campaigns' }).click();
    await page.getByTestId('campaign-row').filter({ hasText: 'Spring tasting' }).waitFor();
    await accessible('campaigns list');

    // A CSV with a bad email on line 3: the error names the line and nothing is imported yet.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-import').click();
    const csv = 'Name,Email,Company\nKenji Ito,kenji@example.org,Ito Farms\nBad Row,not-an-email,Nowhere\nYuki Abe,yuki@example.org,\n';
    const input = page.locator('[data-testid="contact-import"] input[type="file"]');
    await input.setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const errorRow = page.getByTestId('contact-import-error');
    await errorRow.first().waitFor();
    expect(await errorRow.count()).toBe(1);
    expect(await errorRow.getByTestId('contact-import-error-line').innerText()).toBe('3');
    expect(await errorRow.innerText()).toContain('not-an-email');
    expect(await page.getByTestId('contact-import-valid').innerText()).toContain('2');
    expect(await page.getByTestId('contact-import-run').isDisabled()).toBe(true);
    await accessible('contacts import preview');
    await screenshot(page, 'fc03-import-errors', { fullPage: false });

    // Nothing was written by the preview.
    const orgId = new URL(page.url()).pathname.split('/')[2]!;
    const found = async () => ((await (await page.request.get(`/api/orgs/${orgId}/contacts?q=kenji`)).json()) as { contacts: unknown[] }).contacts.length;
    expect(await found()).toBe(0);

    // Skipping the bad row is a choice the owner makes; then the two good rows are imported, once
    // for a double-click: one request, with an Idempotency-Key.
    await page.getByTestId('contact-import-skip').click();
    const importKeys: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/contacts/import') && request.postDataJSON()?.mode === 'import')
        importKeys.push(request.headers()['idempotency-key']);
    });
    await page.getByTestId('contact-import-run').dblclick();
    await page.getByTestId('contact-import-done').filter({ hasText: '2 new' }).waitFor();
    expect(await found()).toBe(1);
    expect(importKeys).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    await page.getByTestId('contact-import').getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('contacts-search').fill('Kenji');
    await page.getByText('Kenji Ito').first().waitFor();

    expect(app.problems).toEqual([]);
  });
});
