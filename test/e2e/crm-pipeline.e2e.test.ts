import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { screenshot } from './support/screenshots.js';

/**
 * The CRM pipeline in a real Chromium against the built server and its workers: a visitor fills
 * in a lead form (a contact with one form submission, so a score of 20), the owner opens the
 * contact, sets its stage, adds a stage in Settings → CRM and finds it offered on the contact
 * (removing the stage the contact is in is refused, with the reason), reads "Why 20?", adds a task
 * due now, finds it in My tasks and, once the task-reminders worker has run, in the bell; then
 * creates a company, links the contact to it, and the company's page lists the person. axe finds nothing critical or serious on the contact page,
 * My tasks and Settings → CRM. Needs `npm run build` and a Chromium.
 */

const OWNER = { name: 'Aino Berg', email: 'aino@example.com', password: 'correct horse battery', org: 'Berg Roasters' };
const LEAD = { name: 'Hana Sato', email: 'hana@kissa.example' };
const TASK = 'Call Hana about wholesale';
const COMPANY = { name: 'Kissa Cafe', domain: 'kissa-cafe.example' };

let app: E2eSession;

beforeAll(async () => {
  app = await startE2eSession({ name: 'crm-pipeline' });
});

afterAll(async () => {
  await app?.close();
});

const shot = (page: Page, name: string) => screenshot(page, name);

/** POST as the signed-in member, with the session's CSRF token and an Idempotency-Key. */
async function apiPost(page: Page, path: string, body: unknown): Promise<Record<string, unknown>> {
  const session = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const response = await page.request.post(path, { data: body, headers: { 'x-csrf-token': session.csrfToken, 'idempotency-key': `e2e-${Math.random()}` } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Record<string, unknown>;
}

/** The datetime-local value of this minute in UTC (the browser profile's time zone). */
const thisMinuteUtc = () => new Date().toISOString().slice(0, 16);

describe('CRM pipeline in Chromium', () => {
  it('sets a stage, explains the score, reminds of a task in the bell, and links a contact to a company', { timeout: 300_000 }, async () => {
    const { context, page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    const orgId = new URL(page.url()).pathname.split('/')[2]!;

    // A lead form, filled in by a visitor on its public page: the contact and its first points.
    const { form } = (await apiPost(page, `/api/orgs/${orgId}/forms`, {
      name: 'Wholesale enquiry',
      fields: [
        { name: 'name', label: 'Your name', type: 'text', required: true },
        { name: 'email', label: 'Email', type: 'email', required: true },
      ],
    })) as { form: { publicUrl: string } };
    const visitor = await context.newPage();
    await visitor.goto(form.publicUrl);
    await visitor.getByLabel('Your name').fill(LEAD.name);
    await visitor.getByLabel('Email').fill(LEAD.email);
    await visitor.getByRole('button').click();
    await visitor.waitForLoadState();
    await visitor.close();

    // The contact's page: Pipeline panel with the default stage and a score of 20.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-row').filter({ hasText: LEAD.name }).click();
    await page.getByTestId('page-contact').waitFor();
    const contactUrl = page.url();
    const pipeline = page.getByTestId('contact-pipeline');
    await pipeline.waitFor();
    await expect.poll(() => page.getByTestId('pipeline-score').textContent()).toBe('Score 20');

    // Stage: picked from the org's stages, saved at once, still there after a reload.
    await page.getByTestId('pipeline-stage').click();
    await page.getByRole('option', { name: 'opportunity', exact: true }).click();
    await expect
      .poll(async () => (await (await page.request.get(`/api/orgs/${orgId}/contacts/${contactUrl.split('/').pop()}/pipeline`)).json()).pipeline?.stage ?? null)
      .toBe('opportunity');
    await page.reload();
    await expect.poll(() => page.getByTestId('pipeline-stage').inputValue()).toBe('opportunity');

    // Settings → CRM: a stage "trial" added and moved between lead and opportunity, then offered on the contact.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-crm').click();
    const crm = page.getByTestId('crm-settings-form');
    await crm.waitFor();
    await crm.getByTestId('crm-stage-new').fill('Trial');
    await crm.getByTestId('crm-stage-add').click();
    await crm.getByRole('button', { name: 'Move trial up' }).click();
    await crm.getByRole('button', { name: 'Move trial up' }).click();
    const stageNames = () =>
      crm
        .getByTestId('crm-stage')
        .getByRole('textbox')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(await stageNames()).toEqual(['subscriber', 'lead', 'trial', 'opportunity', 'customer']);
    await expect.poll(() => crm.getByTestId('crm-scoring-example').textContent()).toContain('scores 30');
    await shot(page, 'crmp07-crm-settings');
    await expectAccessible(page, 'settings crm');
    await crm.getByTestId('crm-settings-save').click();
    await page.getByText('CRM settings saved').waitFor();
    // The contact is in "opportunity": removing that stage is refused, and the form says why.
    await crm.getByRole('button', { name: 'Remove stage opportunity' }).click();
    await crm.getByTestId('crm-settings-save').click();
    expect(await crm.getByTestId('crm-settings-error').innerText()).toBe('Contacts are still in the stage "opportunity": move them to another stage first.');
    await shot(page, 'crmp08-crm-stage-in-use');
    const saved = (await (await page.request.get(`/api/orgs/${orgId}/crm/settings`)).json()) as { settings: { stages: string[] } };
    expect(saved.settings.stages).toEqual(['subscriber', 'lead', 'trial', 'opportunity', 'customer']);
    await page.goto(contactUrl);
    await page.getByTestId('pipeline-stage').click();
    await page.getByRole('option', { name: 'trial', exact: true }).waitFor();
    await page.keyboard.press('Escape');

    // Why 20? One line: one form submission worth 20.
    await page.getByTestId('pipeline-score-why').click();
    const why = page.getByTestId('pipeline-score-explanation');
    await why.getByRole('row').first().waitFor();
    expect(await why.getByRole('row').allInnerTexts()).toEqual([expect.stringMatching(/^Form submissions\s+1 × 20\s+20$/)]);
    await shot(page, 'crmp01-why');
    await page.keyboard.press('Escape');

    // A task due now, assigned to the owner by default.
    const tasks = page.getByTestId('contact-tasks');
    await tasks.getByTestId('task-title').fill(TASK);
    await tasks.getByTestId('task-due').fill(thisMinuteUtc());
    await expect.poll(() => tasks.getByTestId('task-assignee').inputValue()).toBe(OWNER.name);
    await tasks.getByTestId('task-add').click();
    await tasks.getByTestId('task-row').filter({ hasText: TASK }).waitFor();
    expect(await tasks.getByTestId('task-title').inputValue()).toBe('');
    await shot(page, 'crmp02-contact');
    await expectAccessible(page, 'contact page');

    // My tasks lists it.
    await page.getByTestId('nav-tasks').click();
    await page.getByTestId('page-tasks').waitFor();
    const mine = page.getByTestId('page-tasks').getByTestId('task-row').filter({ hasText: TASK });
    await mine.waitFor();
    expect(await mine.innerText()).toContain(LEAD.name);
    await shot(page, 'crmp03-my-tasks');
    await expectAccessible(page, 'my tasks');

    // The task-reminders worker (every 15 s in `chorus serve`) puts it in the bell.
    const deadline = Date.now() + 90_000;
    while (Number(await page.getByTestId('notifications-unread').getAttribute('data-count')) === 0) {
      if (Date.now() > deadline) throw new Error(`no reminder in the bell:\n${app.server.log()}`);
      await page.waitForTimeout(3000);
      await page.reload();
      await page.getByTestId('page-tasks').waitFor();
    }
    await page.getByTestId('notifications-bell').click();
    const reminder = page.getByTestId('notification-item').filter({ hasText: TASK });
    await reminder.waitFor();
    // Under the title: who the task is about (not a raw ISO due time).
    expect(await reminder.getByTestId('notification-body').innerText()).toBe(LEAD.name);
    await shot(page, 'crmp04-bell');
    await page.keyboard.press('Escape');

    // A company, then the contact linked to it; the company's page lists the person.
    await page.getByTestId('nav-companies').click();
    await page.getByTestId('page-companies').waitFor();
    await page.getByTestId('company-name').fill(COMPANY.name);
    await page.getByTestId('company-domain').fill(COMPANY.domain);
    await page.getByTestId('company-add').click();
    await page.getByTestId('company-row').filter({ hasText: COMPANY.name }).waitFor();
    await page.goto(contactUrl);
    await page.getByTestId('pipeline-company').click();
    await page.getByRole('option', { name: COMPANY.name }).click();
    await expect.poll(() => page.getByTestId('pipeline-company').inputValue()).toBe(COMPANY.name);
    await page.getByTestId('nav-companies').click();
    const row = page.getByTestId('company-row').filter({ hasText: COMPANY.name });
    await row.waitFor();
    await row.getByRole('link', { name: COMPANY.name }).click();
    await page.getByTestId('page-company').waitFor();
    const person = page.getByTestId('company-person').filter({ hasText: LEAD.name });
    await person.waitFor();
    expect(await person.textContent()).toContain('opportunity');
    await shot(page, 'crmp05-company');
    await person.getByRole('link', { name: LEAD.name }).click();
    await page.waitForURL(contactUrl);

    // The contacts list filters by stage, owner and score, in the address: a reload keeps the view.
    await apiPost(page, `/api/orgs/${orgId}/contacts`, { displayName: 'Ren Ito' });
    await page.getByTestId('nav-contacts').click();
    const rows = page.getByTestId('contact-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByTestId('contacts-stage-filter').click();
    await page.getByRole('option', { name: 'opportunity', exact: true }).click();
    await page.getByTestId('contacts-owner-filter').click();
    await page.getByRole('option', { name: 'Nobody', exact: true }).click();
    await page.getByTestId('contacts-min-score-filter').fill('20');
    await expect.poll(() => new URL(page.url()).search).toBe('?stage=opportunity&owner=none&minScore=20');
    await page.reload();
    await expect.poll(() => rows.allInnerTexts()).toEqual([expect.stringContaining(LEAD.name)]);
    expect(await rows.getByTestId('contact-row-stage').textContent()).toBe('opportunity');
    expect(await rows.getByTestId('contact-row-score').innerText()).toBe('Score 20');
    expect(await page.getByTestId('contacts-stage-filter').inputValue()).toBe('opportunity');
    await shot(page, 'crmp06-filtered-contacts');
    await expectAccessible(page, 'filtered contacts');
    // Typing 21 at a steady pace asks for 21 once the typing stops, not for 2 on the way.
    const minScoresAsked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/orgs/${orgId}/contacts` && url.searchParams.has('minScore')) minScoresAsked.push(url.searchParams.get('minScore')!);
    });
    await page.getByTestId('contacts-min-score-filter').selectText();
    await page.getByTestId('contacts-min-score-filter').pressSequentially('21', { delay: 120 });
    await page.getByTestId('contacts-none-found').waitFor();
    expect(new URL(page.url()).searchParams.get('minScore')).toBe('21');
    expect([...new Set(minScoresAsked)]).toEqual(['21']);

    await context.close();
    expect(app.problems).toEqual([]);
  });
});
