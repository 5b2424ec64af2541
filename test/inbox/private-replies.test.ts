/**
 * A direct message is answered privately: the inbox hands the reply to the connector with the
 * person as its private addressee (on Mastodon a direct status to them), while a public mention
 * is answered in the open. Both stores; the network is scripted.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';
import { blueskyPost, ingestAndCollect, storedAccountRow } from './support.js';

const MASTODON = { id: 'masto-1', network: 'mastodon' as const, displayName: 'Shop on Mastodon', textLimit: 500 };

/** A Mastodon status from `acct`, as the connector hands it over. */
const status = (acct: string, text: string, remoteId: string, isDirect: boolean): NormalizedItem => ({
  ...blueskyPost(acct, text),
  network: 'mastodon',
  remoteId,
  author: { remoteId: `id-${remoteId}`, handle: acct, displayName: acct.split('@')[0]! },
  isDirect,
});

describeEachStore('inbox replies to direct messages', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;

  beforeEach(async () => {
    network = new ScriptedNetwork();
    let orgId = '';
    app = await buildServer({ store: current().store, webRoot: null, channelDirectory: scriptedDirectory(network, () => orgId, [MASTODON]) });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
    // The stored account the conversations came through; the scripted directory stands in for its connector.
    await storedAccountRow(app.store.db, orgId, { ...MASTODON, handle: 'shop@mastodon.example', remoteId: '1' });
  });
  afterEach(() => app.close());

  it('answers a direct status privately, to its author, and a public mention in the open', async () => {
    await ingestAndCollect(app, owner.orgId, MASTODON.id, [status('kaito@other.example', '土曜日も開いていますか？', '9001', true)], 'mentions');
    await ingestAndCollect(app, owner.orgId, MASTODON.id, [status('mia@other.example', '@shop hello', '9002', false)], 'mentions');
    const org = `/api/orgs/${owner.orgId}`;
    const { conversations } = (await owner.client.get(`${org}/conversations`)).body;
    expect(conversations.map((c: { author: { handle: string } }) => c.author.handle).sort()).toEqual(['kaito@other.example', 'mia@other.example']);
    const sentTo = new Map<string, string | undefined>();
    for (const conversation of conversations) {
      const before = network.calls.length;
      const replied = await owner.client.post(`${org}/conversations/${conversation.id}/replies`, { text: 'はい、9時からです' });
      expect(replied.status).toBe(201);
      expect(network.calls).toHaveLength(before + 1);
      sentTo.set(conversation.author.handle, network.calls.at(-1)!.privateTo);
    }
    expect(Object.fromEntries(sentTo)).toEqual({ 'kaito@other.example': 'kaito@other.example', 'mia@other.example': undefined });
  });
});
