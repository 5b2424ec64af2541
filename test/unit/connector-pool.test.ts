import { describe, expect, it } from 'vitest';
import type { ChannelConnector } from '../../src/channels/connector.js';
import { ConnectorPool } from '../../src/channels/connector-pool.js';
import type { ConnectorLookup } from '../../src/channels/channel-directory.js';

const connector = (name: string) => ({ ok: true, connector: { network: name } as unknown as ChannelConnector }) as ConnectorLookup;

describe('connector pool', () => {
  it('opens a connector once per key while it is used, and again after the key changes', async () => {
    const pool = new ConnectorPool(10, 60_000);
    let opened = 0;
    const open = () => {
      opened++;
      return Promise.resolve(connector(`c${opened}`));
    };
    const first = await pool.get('account-1\nsealed-A', 0, open);
    expect(await pool.get('account-1\nsealed-A', 1_000, open)).toBe(first);
    expect(opened).toBe(1);
    // New sealed credentials (reconnect, refreshed session) are a new key: a new connector.
    expect(await pool.get('account-1\nsealed-B', 2_000, open)).not.toBe(first);
    expect(opened).toBe(2);
  });

  it('does not keep refusals or failures: the next call asks again', async () => {
    const pool = new ConnectorPool();
    let calls = 0;
    await pool.get('k', 0, async () => (calls++, { ok: false, reason: 'removed' }));
    await pool
      .get('k', 0, async () => {
        calls++;
        throw new Error('store down');
      })
      .catch(() => {});
    await pool.get('k', 0, async () => (calls++, connector('ok')));
    await pool.get('k', 0, async () => (calls++, connector('again')));
    expect(calls).toBe(3);
  });

  it('drops idle entries and the least recently used past its size', async () => {
    const pool = new ConnectorPool(2, 1_000);
    const open = (name: string) => async () => connector(name);
    await pool.get('a', 0, open('a'));
    await pool.get('b', 0, open('b'));
    await pool.get('a', 10, open('a2'));
    await pool.get('c', 20, open('c'));
    expect(pool.size).toBe(2);
    let reopened = false;
    await pool.get('b', 30, async () => ((reopened = true), connector('b2')));
    expect(reopened).toBe(true);
    let idleReopened = false;
    await pool.get('c', 5_000, async () => ((idleReopened = true), connector('c2')));
    expect(idleReopened).toBe(true);
  });
});
