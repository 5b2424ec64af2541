import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/app/server.js';
import { availabilityIn } from '../../src/ops/status/availability.js';
import { recordProbe } from '../../src/ops/status/probes.js';
import { DEFAULT_SLA, judgeMonth } from '../../src/ops/status/sla.js';
import { ApiClient, invitePerson, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

const HOUR = 3_600_000;
const up = { ok: true, detail: 'ok' };
const down = { ok: false, detail: 'connection refused' };

describeEachStore('status page, availability and SLA', (current) => {
  let now: Date;
  let app: FastifyInstance;
  const settings = { gapMs: 40 * 24 * HOUR, sla: DEFAULT_SLA };
  beforeEach(async () => {
    now = new Date('2026-10-01T00:00:00Z');
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, status: settings });
    await app.ready();
  });
  afterEach(() => app?.close());

  const probe = async (component: string, outcome: typeof up, at: string, gapMs = settings.gapMs) => {
    now = new Date(at);
    await recordProbe(current().store.db, component, outcome, now, gapMs);
  };

  /** October: one 25-hour outage. November: one 60-minute outage. Report taken at 1 December 00:00. */
  async function twoMonthsOfProbes() {
    await probe('store', up, '2026-10-01T00:00:00Z');
    await probe('store', up, '2026-10-03T00:00:00Z');
    await probe('store', down, '2026-10-05T00:00:00Z');
    await probe('store', down, '2026-10-05T12:00:00Z');
    await probe('store', up, '2026-10-06T01:00:00Z');
    await probe('store', down, '2026-11-10T00:00:00Z');
    await probe('store', up, '2026-11-10T01:00:00Z');
    await probe('store', up, '2026-12-01T00:00:00Z');
  }

  it('records only changes of state as periods', async () => {
    await twoMonthsOfProbes();
    const periods = await current().store.db.selectFrom('status_periods').select(['state', 'started_at', 'ended_at']).orderBy('started_at').execute();
    expect(periods).toEqual([
      { state: 'up', started_at: '2026-10-01T00:00:00.000Z', ended_at: '2026-10-05T00:00:00.000Z' },
      { state: 'down', started_at: '2026-10-05T00:00:00.000Z', ended_at: '2026-10-06T01:00:00.000Z' },
      { state: 'up', started_at: '2026-10-06T01:00:00.000Z', ended_at: '2026-11-10T00:00:00.000Z' },
      { state: 'down', started_at: '2026-11-10T00:00:00.000Z', ended_at: '2026-11-10T01:00:00.000Z' },
      { state: 'up', started_at: '2026-11-10T01:00:00.000Z', ended_at: null },
    ]);
  });

  it('reports monthly availability and the credit each month earned', async () => {
    await twoMonthsOfProbes();
    const admin = await setUpOwner(app);
    const report = await admin.client.get('/api/ops/sla?months=3');
    expect(report.status).toBe(200);
    const [october, november, december] = report.body.months;
    expect(october.month).toBe('2026-10');
    const octoberStore = october.components.find((c: any) => c.name === 'store');
    expect(octoberStore.percent).toBeCloseTo((100 * (744 - 25)) / 744, 9);
    expect(octoberStore.downMinutes).toBe(25 * 60);
    expect(octoberStore.longestOutageMinutes).toBe(25 * 60);
    expect(octoberStore.metTarget).toBe(false);
    // Below 99.9 % (10), below 99 % (25) and an outage over 24 h (50): the largest one counts.
    expect(octoberStore.creditPercent).toBe(50);
    expect(octoberStore.reasons).toHaveLength(3);
    expect(october.creditPercent).toBe(50);
    expect(october.complete).toBe(true);

    const novemberStore = november.components.find((c: any) => c.name === 'store');
    expect(novemberStore.percent).toBeCloseTo((100 * (720 - 1)) / 720, 9);
    expect(novemberStore.creditPercent).toBe(10);
    expect(novemberStore.longestOutageMinutes).toBe(60);

    expect(december.complete).toBe(false);
    expect(december.components.find((c: any) => c.name === 'store').percent).toBeNull();
  });

  it('counts silence (no probes: Chorus was not running) as down time, joined with a failed probe into one outage', async () => {
    const gap = 75_000;
    await probe('store', up, '2026-10-01T00:00:00Z', gap);
    await probe('store', up, '2026-10-01T00:00:30Z', gap);
    await probe('store', down, '2026-10-01T02:00:30Z', gap);
    await probe('store', down, '2026-10-01T02:01:00Z', gap);
    await probe('store', up, '2026-10-01T02:01:30Z', gap);
    const rows = await current()
      .store.db.selectFrom('status_periods')
      .select(['state', 'started_at', 'ended_at', 'detail'])
      .orderBy('started_at')
      .orderBy('state', 'desc')
      .execute();
    expect(rows.map((r) => [r.state, r.started_at.slice(11, 19), r.ended_at?.slice(11, 19) ?? null])).toEqual([
      ['up', '00:00:00', '00:00:30'],
      ['down', '00:00:30', '02:00:30'],
      ['down', '02:00:30', '02:01:30'],
      ['up', '02:01:30', null],
    ]);
    expect(rows[1]!.detail).toMatch(/not running/);
    const periods = (await current().store.db.selectFrom('status_periods').selectAll().orderBy('started_at').execute()).map((r) => ({
      state: r.state,
      startedAt: Date.parse(r.started_at),
      endedAt: r.ended_at ? Date.parse(r.ended_at) : null,
      lastProbeAt: Date.parse(r.last_probe_at),
    }));
    const end = Date.parse('2026-10-01T02:02:00Z');
    const window = availabilityIn(periods, Date.parse('2026-10-01T00:00:00Z'), end, end, gap);
    expect(window.downMs).toBe(2 * HOUR + 60_000);
    expect(window.longestOutageMs).toBe(2 * HOUR + 60_000);
    expect(window.percent).toBeCloseTo((100 * 60_000) / (2 * HOUR + 120_000), 9);

    // Silent right now: the public state is down, since the last probe.
    now = new Date('2026-10-01T05:00:00Z');
    const silentApp = await buildServer({ store: current().store, webRoot: null, clock: () => now, status: { ...settings, gapMs: gap } });
    const status = (await new ApiClient(silentApp).get('/api/status')).body;
    expect(status.components[0]).toMatchObject({ name: 'store', state: 'down', since: '2026-10-01T02:01:30.000Z' });
    await silentApp.close();
  });

  it('serves a public, script-free status page with 90-day bars and the incidents admins post', async () => {
    await twoMonthsOfProbes();
    const admin = await setUpOwner(app);
    now = new Date(now.getTime() + 1000);
    const member = await invitePerson(admin, 'Mia Member', 'admin');

    expect((await member.client.post('/api/ops/incidents', { title: 'x', message: 'y' })).status).toBe(403);
    expect((await new ApiClient(app).post('/api/ops/incidents', { title: 'x', message: 'y' })).status).toBe(401);
    const opened = await admin.client.post('/api/ops/incidents', {
      title: 'Publishing <delayed>',
      message: 'Posts to X are queued',
      components: ['channel:x'],
    });
    expect(opened.status).toBe(201);
    expect(opened.body.incident).toMatchObject({ state: 'investigating', resolvedAt: null, components: ['channel:x'] });
    const id = opened.body.incident.id;
    now = new Date(now.getTime() + 1000);
    expect((await admin.client.post(`/api/ops/incidents/${id}/updates`, { state: 'identified', message: 'Rate limited by X' })).status).toBe(201);
    let status = (await new ApiClient(app).get('/api/status')).body;
    expect(status.status).toBe('degraded');
    expect(status.components[0].days).toHaveLength(90);
    expect(status.components[0].days.at(-1).day).toBe('2026-12-01');

    now = new Date(now.getTime() + 1000);
    const resolved = await admin.client.post(`/api/ops/incidents/${id}/updates`, { state: 'resolved', message: 'All queued posts went out' });
    expect(resolved.body.incident).toMatchObject({ state: 'resolved', resolvedAt: '2026-12-01T00:00:03.000Z' });
    expect(resolved.body.incident.updates.map((u: any) => u.state)).toEqual(['resolved', 'identified', 'investigating']);
    expect((await admin.client.post('/api/ops/incidents/nope/updates', { state: 'resolved', message: 'x' })).status).toBe(404);
    status = (await new ApiClient(app).get('/api/status')).body;
    expect(status.status).toBe('operational');

    const page = await app.inject({ method: 'GET', url: '/status' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('Publishing &lt;delayed&gt;');
    expect(page.body).toContain('All systems operational');
    expect(page.body.match(/class="bar"/g)).toHaveLength(90);
  });

  it('takes the SLA policy from CHORUS_SLA_POLICY, validated', () => {
    const slaOf = (env: NodeJS.ProcessEnv) => loadConfig({}, env).status.sla;
    expect(slaOf({})).toEqual(DEFAULT_SLA);
    const policy = slaOf({ CHORUS_SLA_POLICY: JSON.stringify({ targetPercent: 99.5, credits: [{ whenOutageLongerThanHours: 4, creditPercent: 5 }] }) });
    expect(judgeMonth(policy, { monitoredMs: 720 * HOUR, downMs: 5 * HOUR, percent: 99.3, longestOutageMs: 5 * HOUR })).toEqual({
      metTarget: false,
      creditPercent: 5,
      reasons: ['an outage longer than 4 h: 5 %'],
    });
    expect(() => slaOf({ CHORUS_SLA_POLICY: '{"targetPercent": 120, "credits": []}' })).toThrow(/CHORUS_SLA_POLICY: .*targetPercent/);
    expect(() => slaOf({ CHORUS_SLA_POLICY: 'ninety-nine' })).toThrow(/CHORUS_SLA_POLICY: not valid JSON/);
  });
});
