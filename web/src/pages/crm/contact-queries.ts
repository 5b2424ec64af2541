import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { authorKey, type Network } from '@core/networks/index.js';
import { contactTimeline, getContact, listContactAuthors, listContacts, listContactTags, type ContactFilters, type ContactPage } from '../../api/contacts.js';
import type { ItemPage, StreamItem } from '../../api/streams.js';
import { can, roleAtLeast } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { refreshContactColumns } from '../streams/stream-queries.js';

// Everything about contacts under one prefix: any change refreshes lists, tags and the open contact.
export const contactsKey = (orgId: string) => ['org', orgId, 'contacts'] as const;
const listKey = (orgId: string, filters: ContactFilters) => [...contactsKey(orgId), 'list', filters] as const;
const tagsKey = (orgId: string) => [...contactsKey(orgId), 'tags'] as const;
export const contactKey = (orgId: string, contactId: string) => [...contactsKey(orgId), 'one', contactId] as const;
const timelineKey = (orgId: string, contactId: string) => [...contactsKey(orgId), 'timeline', contactId] as const;

const PAGE = 50;

/** What the member may do to contacts; the server decides again on every request. */
export function useContactRights() {
  const { org, session } = useCurrentOrg();
  return {
    write: can(org.role, 'contacts.write'),
    /** A note may be deleted by its author, or by an admin. */
    deleteNote: (note: { authorUserId: string | null }) =>
      can(org.role, 'contacts.write') && (note.authorUserId === session.user.id || roleAtLeast(org.role, 'admin')),
  };
}

export const useContacts = (orgId: string, filters: ContactFilters) =>
  useInfiniteQuery({
    queryKey: listKey(orgId, filters),
    queryFn: ({ pageParam }) => listContacts(orgId, { ...filters, before: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: ContactPage) => last.nextCursor,
    meta: { quiet: true },
  });

const authorsKey = (orgId: string) => [...contactsKey(orgId), 'authors'] as const;
const authorId = (network: string, key: string) => `${network}\u0000${key}`;

/**
 * The contact an item's author is, if any: the item's author key computed as the server stores it
 * (the same function), looked up among every contact identity of the org (one request, cached,
 * read again whenever contacts change).
 */
export function useContactOfAuthor(item: Pick<StreamItem, 'network' | 'author'>): string | null {
  const { org } = useCurrentOrg();
  const id = authorId(item.network, authorKey(item.network as Network, item.author.handle, item.author.profileUrl));
  // Each card selects its own author: when the list arrives or changes, only the cards whose
  // contact changed draw again, not all hundred on the board.
  const contactId = useQuery({
    queryKey: authorsKey(org.id),
    queryFn: async () => new Map((await listContactAuthors(org.id)).map((a) => [authorId(a.network, a.matchKey), a.contactId])),
    select: (authors) => authors.get(id),
    meta: { quiet: true },
  });
  return contactId.data ?? null;
}

export const useContactTags = (orgId: string) => useQuery({ queryKey: tagsKey(orgId), queryFn: () => listContactTags(orgId), meta: { quiet: true } });

export const useContact = (orgId: string, contactId: string) =>
  useQuery({ queryKey: contactKey(orgId, contactId), queryFn: () => getContact(orgId, contactId), meta: { quiet: true } });

/** The contact's stored items, newest first; items are the streams' items, so ItemCard's changes reach them too. */
export const useContactTimeline = (orgId: string, contactId: string) =>
  useInfiniteQuery({
    queryKey: timelineKey(orgId, contactId),
    queryFn: ({ pageParam }) => contactTimeline(orgId, contactId, pageParam, PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last: ItemPage) => last.nextCursor,
    meta: { quiet: true },
  });

/**
 * Reads lists, tags and open contacts again; timelines, and stream columns filtered to contacts,
 * only when identities changed (`timelines`).
 */
export function useRefreshContacts(orgId: string): (options?: { timelines?: boolean }) => Promise<void> {
  const client = useQueryClient();
  return async ({ timelines = false } = {}) => {
    await client.invalidateQueries({ queryKey: contactsKey(orgId), predicate: (query) => timelines || query.queryKey[3] !== 'timeline' });
    if (timelines) await refreshContactColumns(client, orgId);
  };
}
