import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { migrateToLatest, migrateUpTo } from '../../src/app/migrations.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { createOrg } from '../../src/teams/service.js';
import { normalizedItem } from '../support/normalized-item.js';
import { openTestStore, testDialects } from '../support/stores.js';

const at = '2027-01-01T00:00:00.000Z';

for (const dialect of testDialects()) {
  describe(`migration 0902_message_reactions_on_items [${dialect}]`, () => {
    it("moves the inbox's likes and reposts onto their stream items as the conversation's account's, once each, leaving pruned items alone", async () => {
      const test = await openTestStore(dialect, { migrate: false });
      try {
        const { store } = test;
        await migrateUpTo(store, '0901_conversations_opened_in_reply_to');
        const db = store.db;
        const clock = () => new Date(at);
        const owner = await createUser(db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
        const org = await createOrg(db, clock, { name: 'Shop', ownerUserId: owner.id });
        await db
          .insertInto('channel_accounts' as never)
          .values({
            id: 'ch-m',
            org_id: org.id,
            network: 'mastodon',
            display_name: 'Shop',
            handle: 'shop',
            remote_id: '1',
            profile_url: null,
            avatar_url: null,
            credentials: 'sealed',
            health_status: 'ok',
            health_reason: null,
            created_by: null,
            created_at: at,
            updated_at: at,
            last_checked_at: null,
          } as never)
          .execute();
        const stored = await storeIngestedBatch(db, {
          orgId: org.id,
          channelAccountId: 'ch-m',
          items: [normalizedItem({ remoteId: '101' }), normalizedItem({ remoteId: '102' })],
          columnIds: [],
          fetchedAt: at,
        });
        const [liked, reposted] = stored.newItemIds as [string, string];
        // Already liked on the board: the migration adds no second row.
        await db
          .insertInto('item_reactions')
          .values({ org_id: org.id, item_id: reposted, channel_account_id: 'ch-m', kind: 'like', record_id: '102', created_at: at, undone_at: null })
          .execute();
        await db
          .insertInto('conversations' as never)
          .values({
            id: 'conv',
            org_id: org.id,
            network: 'mastodon',
            channel_account_id: 'ch-m',
            author_key: 'shop@social.example',
            author_handle: 'shop@social.example',
            author_display_name: 'Shop',
            author_avatar_url: null,
            status: 'open',
            assignee_user_id: null,
            tags: '[]',
            contact_id: null,
            opened_in_reply_to: null,
            opened_at: at,
            last_inbound_at: at,
            last_message_at: at,
            first_response_at: null,
            resolved_at: null,
            sla_warned_at: null,
            updated_at: at,
          } as never)
          .execute();
        const message = (id: string, itemId: string, flags: { liked: number; reposted: number }) => ({
          id,
          org_id: org.id,
          conversation_id: 'conv',
          network: 'mastodon',
          direction: 'inbound',
          remote_id: id,
          item_id: itemId,
          author_user_id: null,
          author_handle: 'shop@social.example',
          text: id,
          url: null,
          state: 'received',
          error: null,
          ...flags,
          created_at: at,
        });
        await db
          .insertInto('conversation_messages' as never)
          .values([
            message('m1', liked, { liked: 1, reposted: 0 }),
            message('m2', reposted, { liked: 1, reposted: 1 }),
            // Its item was pruned by retention: nothing to record it on.
            message('m3', 'pruned-item', { liked: 1, reposted: 1 }),
          ] as never)
          .execute();

        await migrateToLatest(store);
        const rows = await db
          .selectFrom('item_reactions')
          .select(['item_id', 'channel_account_id', 'kind', 'record_id', 'undone_at'])
          .orderBy('item_id')
          .orderBy('kind')
          .execute();
        expect(rows).toEqual(
          [
            { item_id: liked, channel_account_id: 'ch-m', kind: 'like', record_id: null, undone_at: null },
            { item_id: reposted, channel_account_id: 'ch-m', kind: 'like', record_id: '102', undone_at: null },
            { item_id: reposted, channel_account_id: 'ch-m', kind: 'repost', record_id: null, undone_at: null },
          ].sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0)),
        );
      } finally {
        await test.dispose();
      }
    });
  });
}
