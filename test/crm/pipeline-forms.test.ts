import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { remindDueTasks } from '../../src/crm/tasks.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('CRM pipeline, web forms and campaigns', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let editor: Person;
  const org = (p: Person) => `/api/orgs/${p.orgId}`;

  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    editor = await invitePerson(owner, 'Eddie Editor', 'editor');
  });
  afterEach(() => app.close());

  const submit = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: new URL(url).pathname, payload, headers: { 'x-forwarded-for': '203.0.113.9', ...headers } });

  async function newForm(extra: Record<string, unknown> = {}) {
    const res = await editor.client.post(`${org(editor)}/forms`, {
      name: 'Spring newsletter',
      fields: [
        { name: 'name', type: 'text', required: false },
        { name: 'email', type: 'email', required: true },
        { name: 'phone', type: 'phone', required: false },
      ],
      ...extra,
    });
    expect(res.status, res.raw).toBe(201);
    return res.body.form;
  }

  it('a form submission with a known email joins that contact, scores it and lands on its timeline', async () => {
    const carol = (await editor.client.post(`${org(editor)}/contacts`, { displayName: 'Carol', email: 'Carol@Example.com' })).body.contact;
    const form = await newForm();
    expect(form.publicUrl).toMatch(/\/f\/[A-Za-z0-9_-]{32}$/);
    expect(form.embedSnippet).toContain(`<iframe src="${form.publicUrl}"`);

    const page = await app.inject({ method: 'GET', url: new URL(form.publicUrl).pathname, headers: { 'accept-language': 'ja,en;q=0.5' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('送信');

    const sent = await submit(form.publicUrl, { name: 'Carol C', email: 'carol@example.COM', phone: '+81 3-1234-5678' });
    expect(sent.statusCode, sent.body).toBe(201);
    const contacts = (await editor.client.get(`${org(editor)}/contacts`)).body.contacts;
    expect(contacts.map((c: { id: string }) => c.id)).toEqual([carol.id]);

    const pipeline = (await editor.client.get(`${org(editor)}/contacts/${carol.id}/pipeline`)).body.pipeline;
    expect(pipeline).toMatchObject({ phones: ['+81 3-1234-5678'], stage: 'subscriber', score: 20 });
    const activity = (await editor.client.get(`${org(editor)}/contacts/${carol.id}/activity`)).body.entries;
    expect(activity[0]).toMatchObject({ kind: 'form_submission', formName: 'Spring newsletter', fields: { email: 'carol@example.COM' } });
  });

  it('the score follows the rules, explains itself and is recomputed when the rules change', async () => {
    const form = await newForm();
    expect((await submit(form.publicUrl, { email: 'dan@example.com' })).statusCode).toBe(201);
    expect((await submit(form.publicUrl, { email: 'dan@example.com', name: 'Dan' })).statusCode).toBe(201);
    const dan = (await editor.client.get(`${org(editor)}/contacts?q=dan`)).body.contacts[0];
    expect(dan.displayName).toBe('dan@example.com');
    const { recordContactInteraction } = await import('../../src/crm/scoring.js');
    const { OrgScope } = await import('../../src/teams/org-scope.js');
    const scope = new OrgScope(app.store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, () => new Date());
    expect(await recordContactInteraction(scope, dan.id, 'link_click', 'link-1')).toBe(45);
    expect(await recordContactInteraction(scope, dan.id, 'reply')).toBe(55);
    const why = (await editor.client.get(`${org(editor)}/contacts/${dan.id}/score`)).body;
    expect(why).toEqual({
      score: 55,
      lines: [
        { kind: 'reply', points: 10, count: 1, subtotal: 10 },
        { kind: 'form_submission', points: 20, count: 2, subtotal: 40 },
        { kind: 'link_click', points: 5, count: 1, subtotal: 5 },
      ],
    });
    expect((await editor.client.patch(`${org(editor)}/crm/settings`, { scoringRules: [{ kind: 'form_submission', points: 1 }] })).status).toBe(403);
    const changed = await owner.client.patch(`${org(owner)}/crm/settings`, {
      scoringRules: [
        { kind: 'form_submission', points: 1 },
        { kind: 'link_click', points: 3 },
      ],
    });
    expect(changed.status, changed.raw).toBe(200);
    expect((await editor.client.get(`${org(editor)}/contacts/${dan.id}/pipeline`)).body.pipeline.score).toBe(5);
  });

  it('concurrent submissions with one new email make one contact', async () => {
    const form = await newForm();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        submit(form.publicUrl, { email: 'new.person@example.com', name: `Try ${i}` }, { 'x-forwarded-for': `198.51.100.${i}` }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    const contacts = (await editor.client.get(`${org(editor)}/contacts`)).body.contacts;
    expect(contacts).toHaveLength(1);
    expect((await editor.client.get(`${org(editor)}/contacts/${contacts[0].id}/pipeline`)).body.pipeline.score).toBe(160);
    expect((await editor.client.get(`${org(editor)}/forms/${form.id}`)).body.form.submissionCount).toBe(8);
  });

  it('refuses bad answers in the visitor language, keeps bots out, escapes everything and limits each address', async () => {
    const form = await newForm({ name: '<script>alert(1)</script>', consentText: 'I agree & accept' });
    const ja = await submit(form.publicUrl, { email: 'not-an-email' }, { 'accept-language': 'ja-JP' });
    expect(ja.statusCode).toBe(422);
    expect(JSON.parse(ja.body).error.details).toEqual([
      { field: 'email', message: 'メールアドレスを入力してください（例: name@example.com）。' },
      { field: 'consent', message: '送信する前に同意してください。' },
    ]);
    const html = await app.inject({
      method: 'POST',
      url: new URL(form.publicUrl).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.1' },
      payload: 'email=%22%3E%3Cimg+src%3Dx%3E',
    });
    expect(html.statusCode).toBe(422);
    expect(html.body).not.toContain('<script>alert');
    expect(html.body).not.toContain('<img src=x>');
    expect(html.body).toContain('&lt;script&gt;');
    expect(html.body).toContain('Please agree before sending.');

    const bot = await submit(form.publicUrl, { email: 'bot@example.com', consent: 'on', website: 'http://spam.example' });
    expect(bot.statusCode).toBe(201);
    expect((await editor.client.get(`${org(editor)}/contacts`)).body.contacts).toHaveLength(0);

    const ok = await app.inject({
      method: 'POST',
      url: new URL(form.publicUrl).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.2' },
      payload: 'email=ok%40example.com&consent=on',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Thank you');

    // Four submissions came from this address already (injected requests share one): six more, then 429.
    const flood = [];
    for (let i = 0; i < 8; i++) flood.push((await submit(form.publicUrl, { email: 'x' })).statusCode);
    expect(flood).toEqual([422, 422, 422, 422, 422, 422, 429, 429]);
    expect((await app.inject({ method: 'GET', url: '/f/nope' })).statusCode).toBe(404);
  });

  it('serves the public form as script-free HTML in the visitor language, with the honeypot, and keeps ticked boxes after a refusal', async () => {
    const form = await newForm({
      consentText: 'I agree',
      fields: [
        { name: 'email', type: 'email', required: true },
        { name: 'news', label: 'Send news', type: 'checkbox', required: false },
      ],
    });
    const path = new URL(form.publicUrl).pathname;
    const en = await app.inject({ method: 'GET', url: path, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-type']).toContain('text/html');
    expect(en.headers['content-security-policy']).toContain("default-src 'none'");
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain(`<form method="post" action="${path}"`);
    expect(en.body).toContain('name="website"');
    expect(en.body).not.toMatch(/<script/i);
    const ja = await app.inject({ method: 'GET', url: path, headers: { 'accept-language': 'ja,en;q=0.5' } });
    expect(ja.body).toContain('<html lang="ja">');

    // The email is wrong: the page comes back with the visitor's ticks still there.
    const refused = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'ja' },
      payload: 'email=nope&news=on&consent=on',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<html lang="ja">');
    expect(refused.body).toContain('name="news" value="on" checked');
    expect(refused.body).toContain('name="consent" value="on" checked');
  });

  it('stages, owner, custom fields, companies, tasks with reminders, CSV import and a campaign report', async () => {
    expect(
      (
        await owner.client.patch(`${org(owner)}/crm/settings`, {
          customFields: [
            { key: 'plan', label: 'Plan', type: 'text' },
            { key: 'seats', label: 'Seats', type: 'number' },
          ],
        })
      ).status,
    ).toBe(200);
    const acme = (await editor.client.post(`${org(editor)}/companies`, { name: 'Acme', domain: 'https://www.acme.example/about' })).body.company;
    expect(acme.domain).toBe('acme.example');
    const csv = 'Name,Email,Phone,Stage,seats\r\nAmy,amy@acme.example,03-1111-2222,lead,5\r\nBad,not-mail,,,\r\nBen,,,,x\r\n';
    const preview = await editor.client.post(`${org(editor)}/contacts/import`, {
      csv,
      mode: 'preview',
      mapping: { Name: 'displayName', Email: 'email', Phone: 'phone', Stage: 'stage', seats: 'custom:seats' },
    });
    expect(preview.status, preview.raw).toBe(200);
    expect(preview.body).toMatchObject({
      imported: false,
      validRows: 1,
      errors: [
        { line: 3, column: 'Email' },
        { line: 4, column: 'seats' },
      ],
    });
    const refused = await editor.client.post(`${org(editor)}/contacts/import`, {
      csv,
      mode: 'import',
      mapping: { Name: 'displayName', Email: 'email', Phone: 'phone', Stage: 'stage', seats: 'custom:seats' },
    });
    expect(refused.body.imported).toBe(false);
    expect((await editor.client.get(`${org(editor)}/contacts`)).body.contacts).toHaveLength(0);
    const imported = await editor.client.post(`${org(editor)}/contacts/import`, {
      csv,
      mode: 'import',
      skipInvalidRows: true,
      mapping: { Name: 'displayName', Email: 'email', Phone: 'phone', Stage: 'stage', seats: 'custom:seats' },
    });
    expect(imported.body).toMatchObject({ imported: true, created: 1 });
    const amy = (await editor.client.get(`${org(editor)}/contacts`)).body.contacts[0];
    expect((await editor.client.get(`${org(editor)}/contacts/${amy.id}/pipeline`)).body.pipeline).toMatchObject({
      stage: 'lead',
      phones: ['03-1111-2222'],
      customFields: { seats: 5 },
      companyId: acme.id,
      companyName: 'Acme',
    });
    expect((await editor.client.get(`${org(editor)}/companies/${acme.id}`)).body.people.map((p: { displayName: string }) => p.displayName)).toEqual(['Amy']);

    const moved = await editor.client.patch(`${org(editor)}/contacts/${amy.id}/pipeline`, {
      stage: 'customer',
      ownerUserId: editor.userId,
      customFields: { plan: 'pro' },
    });
    expect(moved.body.pipeline).toMatchObject({ stage: 'customer', ownerName: 'Eddie Editor', customFields: { seats: 5, plan: 'pro' } });
    expect((await editor.client.patch(`${org(editor)}/contacts/${amy.id}/pipeline`, { stage: 'nope' })).status).toBe(422);
    expect((await editor.client.patch(`${org(editor)}/contacts/${amy.id}/pipeline`, { customFields: { seats: 'many' } })).status).toBe(422);
    expect((await owner.client.patch(`${org(owner)}/crm/settings`, { stages: ['lead', 'won'] })).body.error.code).toBe('stage_in_use');

    const due = new Date(Date.now() - 60_000).toISOString();
    const task = (await editor.client.post(`${org(editor)}/tasks`, { title: 'Call Amy back', dueAt: due, contactId: amy.id })).body.task;
    expect(task).toMatchObject({ assigneeUserId: editor.userId, assigneeName: 'Eddie Editor', contactName: 'Amy', overdue: true, done: false });
    expect((await editor.client.get(`${org(editor)}/tasks?mine=true`)).body.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect(await remindDueTasks(app.store.db, () => new Date(), 10)).toBe(1);
    expect(await remindDueTasks(app.store.db, () => new Date(), 10)).toBe(0);
    const bell = (await editor.client.get(`${org(editor)}/notifications`)).body.notifications;
    expect(bell[0]).toMatchObject({ kind: 'task.due', title: 'Call Amy back' });
    const kinds = (await editor.client.get(`${org(editor)}/contacts/${amy.id}/activity`)).body.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['task', 'stage_change']));

    const campaign = (await editor.client.post(`${org(editor)}/campaigns`, { name: 'Spring', startsOn: '2026-03-01', endsOn: '2026-04-30' })).body.campaign;
    const form = await newForm({ campaignId: campaign.id });
    expect((await submit(form.publicUrl, { email: 'fresh@example.com' })).statusCode).toBe(201);
    expect((await submit(form.publicUrl, { email: 'amy@acme.example' })).statusCode).toBe(201);
    // Each submission names the contact it made or matched (read from the CRM).
    const submissions = (await editor.client.get(`${org(editor)}/forms/${form.id}`)).body.submissions;
    expect(submissions.map((s: { contactName: string | null }) => s.contactName).sort()).toEqual(['Amy', 'fresh@example.com']);
    const report = (await editor.client.get(`${org(editor)}/campaigns/${campaign.id}`)).body;
    expect(report.campaign).toMatchObject({ name: 'Spring', formCount: 1 });
    expect(report.report).toMatchObject({
      submissions: 2,
      newContactsByStage: [
        { stage: 'subscriber', count: 1 },
        { stage: 'lead', count: 0 },
        { stage: 'opportunity', count: 0 },
        { stage: 'customer', count: 0 },
      ],
    });
    expect(report.report.clicks).toEqual({ human: 0, bot: 0 });

    // Clicks tagged with the campaign's name count, crawlers apart; another campaign's do not.
    const now = new Date().toISOString();
    const link = (id: string, campaignName: string) => ({
      id,
      org_id: editor.orgId,
      code: `code-${id}`,
      url: 'https://example.com',
      target_url: 'https://example.com',
      post_id: null,
      network: null,
      campaign: campaignName,
      contact_id: null,
      created_by_user_id: null,
      created_at: now,
    });
    await app.store.db
      .insertInto('short_links')
      .values([link('l1', 'Spring'), link('l2', 'Autumn')])
      .execute();
    const click = (id: string, linkId: string, campaignName: string, bot: number) => ({
      id,
      org_id: editor.orgId,
      link_id: linkId,
      post_id: null,
      network: null,
      campaign: campaignName,
      contact_id: null,
      clicked_at: now,
      referrer_host: null,
      device: 'desktop',
      bot,
    });
    await app.store.db
      .insertInto('link_clicks')
      .values([click('c1', 'l1', 'Spring', 0), click('c2', 'l1', 'Spring', 0), click('c3', 'l1', 'Spring', 1), click('c4', 'l2', 'Autumn', 0)])
      .execute();
    expect((await editor.client.get(`${org(editor)}/campaigns/${campaign.id}`)).body.report.clicks).toEqual({ human: 2, bot: 1 });
  });
});
