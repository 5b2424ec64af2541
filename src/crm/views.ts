import type { Selectable } from 'kysely';
import { userSummaries } from '../accounts/users.js';
import type { Network } from '../channels/connector.js';
import { isProxiableImageUrl } from '../image-proxy/item-images.js';
import { latestItemTimes } from '../streams/item-authors.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { ContactNotesTable, ContactsTable } from './tables.js';
import type { ContactIdentityView, ContactNoteView, ContactView } from '../../core/api/crm.js';

export type { ContactIdentityView, ContactNoteView, ContactView };

export type ContactRow = Selectable<ContactsTable>;

export const presentNote = (row: Selectable<ContactNotesTable>): ContactNoteView => ({
  id: row.id,
  body: row.body,
  authorUserId: row.author_user_id,
  authorName: row.author_name,
  createdAt: row.created_at,
});

const groupBy = <T>(rows: T[], key: (row: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const row of rows) (groups.get(key(row)) ?? groups.set(key(row), []).get(key(row))!).push(row);
  return groups;
};

/** Contacts with their identities, tags, note counts, last-seen times and owners' names: five queries per page, not per contact. */
export async function presentContacts(scope: OrgScope, rows: ContactRow[]): Promise<ContactView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const identities = await scope.selectFrom('contact_identities').selectAll().where('contact_id', 'in', ids).orderBy('created_at').orderBy('id').execute();
  const tags = await scope.selectFrom('contact_tags').select(['contact_id', 'tag']).where('contact_id', 'in', ids).execute();
  const notes = await scope
    .selectFrom('contact_notes')
    .select((eb) => ['contact_id', eb.fn.countAll<number>().as('n')])
    .where('contact_id', 'in', ids)
    .groupBy('contact_id')
    .execute();
  const lastSeen = await latestItemTimes(
    scope,
    identities.map((i) => ({ network: i.network, matchKey: i.match_key })),
  );
  const ownerIds = [...new Set(rows.map((r) => r.owner_user_id).filter((id): id is string => id !== null))];
  const owners = await userSummaries(scope.shared, ownerIds);
  const identitiesOf = groupBy(identities, (i) => i.contact_id);
  const tagsOf = groupBy(tags, (t) => t.contact_id);
  const noteCounts = new Map(notes.map((n) => [n.contact_id, Number(n.n)]));
  return rows.map((row) => {
    const stored = identitiesOf.get(row.id) ?? [];
    const times = stored.map((i) => lastSeen({ network: i.network, matchKey: i.match_key })).filter((t): t is string => t !== null);
    const own = stored.map((i): ContactIdentityView => ({
      id: i.id,
      network: i.network,
      handle: i.handle,
      displayName: i.display_name,
      profileUrl: i.profile_url,
      avatarUrl: i.avatar_url,
      createdAt: i.created_at,
    }));
    return {
      id: row.id,
      displayName: row.display_name,
      email: row.email,
      company: row.company,
      // Sorted here, not in SQL: PostgreSQL's collation would order `a-b` and `ab` unlike SQLite.
      tags: (tagsOf.get(row.id) ?? []).map((t) => t.tag).sort(),
      avatarUrl: own.find((i) => i.avatarUrl !== null)?.avatarUrl ?? null,
      identities: own,
      noteCount: noteCounts.get(row.id) ?? 0,
      // ISO times in UTC sort as text.
      lastSeenAt: times.sort().at(-1) ?? null,
      stage: row.stage,
      score: row.score,
      ownerUserId: row.owner_user_id,
      ownerName: row.owner_user_id ? (owners.get(row.owner_user_id)?.name ?? null) : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}

/** Every avatar a contact view makes the browser load, for the image proxy's signatures. */
export const contactImageUrls = (contacts: ContactView[]): string[] =>
  contacts.flatMap((c) => c.identities.map((i) => i.avatarUrl)).filter((url): url is string => url !== null && isProxiableImageUrl(url));
