import { afterEach, beforeEach, expect, it } from 'vitest';
import { channelNetworksStatusSource } from '../../src/app/network-status-source.js';
import { createUser } from '../../src/accounts/users.js';
import { runProbe } from '../../src/ops/status/components.js';
import { recordProbe } from '../../src/ops/status/probes.js';
import { createOrg } from '../../src/teams/service.js';
import { PASSWORD } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import type { AccountHealth, Network } from '../../src/channels/connector.js';

const NOW = new Date('2026-11-27T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

describeEachStore('status page components for channel networks', (current) => {
  let orgId: string;
  let count = 0;
  beforeEach(async () => {
    const user = await createUser(current().store.db, () => NOW, { email: 'olivia@example.com', name: 'Olivia', password: PASSWORD });
    orgId = (await createOrg(current().store.db, () => NOW, { name: 'Secret Org', ownerUserId: user.id })).id;
  });
  afterEach(() => void (count = 0));

  const channel = (network: Network, status: AccountHealth['status'], checkedMinutesAgo: number | null, handle = `secret-handle-${++count}`) =>
    current()
      .store.db.insertInto('channel_accounts')
      .values({
        id: `ch-${++count}`,
        org_id: orgId,
        network,
        display_name: 'Secret Account',
        handle,
        remote_id: `remote-${count}`,
        profile_url: null,
        avatar_url: null,
        credentials: 'sealed',
        health_status: status,
        health_reason: status === 'ok' ? null : 'secret reason from the network',
        created_by: null,
        created_at: minutesAgo(600),
        updated_at: minutesAgo(600),
        last_checked_at: checkedMinutesAgo === null ? null : minutesAgo(checkedMinutesAgo),
        text_limit: null,
      })
      .execute();

  const probeAll = async () => {
    const components = await channelNetworksStatusSource(current().store.db, () => NOW)();
    return Object.fromEntries(await Promise.all(components.map(async (c) => [c.name, await runProbe(c.probe, 1000)] as const)));
  };

  it('shows one component per network, never an org or a handle, down only when every recent account met network trouble', async () => {
    await channel('bluesky', 'ok', 5);
    await channel('bluesky', 'degraded', 2);
    await channel('x', 'degraded', 3);
    await channel('x', 'needs_reconnect', 1);
    await channel('x', 'ok', 300); // too old to speak for X now
    await channel('mastodon', 'needs_reconnect', 1);
    await channel('feed', 'degraded', 1);
    await channel('team', 'ok', 1);
    const outcomes = await probeAll();
    expect(Object.keys(outcomes)).toEqual(['network:bluesky', 'network:mastodon', 'network:x']);
    expect(outcomes['network:bluesky']!.ok).toBe(true);
    expect(outcomes['network:x']).toEqual({ ok: false, detail: expect.stringContaining('network trouble') });
    // An account needing reconnection is its owner's matter, not an outage.
    expect(outcomes['network:mastodon']).toEqual({ ok: true, detail: 'no recent reads' });
    expect(JSON.stringify(outcomes)).not.toMatch(/secret|Secret/);
  });

  it('keeps probing a network whose last account was removed, so the silence is not recorded as down time', async () => {
    await recordProbe(current().store.db, 'network:x', { ok: true, detail: 'fine' }, NOW, 60_000);
    const outcomes = await probeAll();
    expect(outcomes).toEqual({ 'network:x': { ok: true, detail: 'no recent reads' } });
  });
});
