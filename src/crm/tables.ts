import type { Network } from '../channels/connector.js';

export interface ContactsTable {
  id: string;
  org_id: string;
  display_name: string;
  /** display_name lowercased: the list is ordered by it, case-insensitively, on both dialects. */
  sort_name: string;
  email: string | null;
  company: string | null;
  created_by_user_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One handle of a contact on one network; unique per org, so an author is one contact at most. */
export interface ContactIdentitiesTable {
  id: string;
  org_id: string;
  contact_id: string;
  network: Network;
  handle: string;
  display_name: string | null;
  profile_url: string | null;
  avatar_url: string | null;
  /** core/networks authorKey(): equal to `stream_items.author_key` of this author's items. */
  match_key: string;
  created_at: string;
}

export interface ContactNotesTable {
  id: string;
  org_id: string;
  contact_id: string;
  author_user_id: string | null;
  /** Kept so a note still says who wrote it after that user is deleted. */
  author_name: string;
  body: string;
  created_at: string;
}

export interface ContactTagsTable {
  org_id: string;
  contact_id: string;
  tag: string;
}

export interface CrmTables {
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  contact_notes: ContactNotesTable;
  contact_tags: ContactTagsTable;
}
