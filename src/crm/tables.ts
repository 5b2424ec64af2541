import type { Generated } from 'kysely';
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
  /** Phone numbers as typed, a JSON array of strings. */
  phones: Generated<string>;
  /** Values of the org's custom fields by key, a JSON object (crm_settings.custom_fields types them). */
  custom_fields: Generated<string>;
  /** The teammate who owns the relationship. */
  owner_user_id: string | null;
  /** One of the org's lifecycle stages (crm_settings.stages). */
  stage: Generated<string>;
  /** The lead score: the org's scoring rules applied to the contact's interactions, kept for sorting. */
  score: Generated<number>;
  company_id: string | null;
  /**
   * Lowercased email this contact answers for when a form is submitted: unique per org, so two
   * submissions at once with one new email make one contact. Null when another contact holds it.
   */
  email_key: string | null;
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

export interface CompaniesTable {
  id: string;
  org_id: string;
  name: string;
  sort_name: string;
  /** Lowercased web domain (example.com), unique per org: contacts with that email domain belong here. */
  domain: string | null;
  created_at: string;
  updated_at: string;
}

/** An org's CRM configuration; a missing row means the defaults (crm/settings.ts). */
export interface CrmSettingsTable {
  org_id: string;
  /** JSON array of stage names, in pipeline order. */
  stages: string;
  /** JSON array of { kind, points }: the lead scoring rules. */
  scoring_rules: string;
  /** JSON array of { key, label, type }: the org's typed custom fields. */
  custom_fields: string;
  updated_at: string;
}

/** Something a contact did that scoring counts: a reply, a form submission, a link click. */
export interface ContactInteractionsTable {
  id: string;
  org_id: string;
  contact_id: string;
  kind: string;
  /** What it was about (a form submission, an item, a link), for the timeline. */
  ref_id: string | null;
  /** JSON the timeline shows with it (a form submission's form and answers), or null. */
  detail: string | null;
  at: string;
}

export interface ContactStageChangesTable {
  id: string;
  org_id: string;
  contact_id: string;
  from_stage: string | null;
  to_stage: string;
  changed_by_user_id: string | null;
  at: string;
}

export interface TasksTable {
  id: string;
  org_id: string;
  title: string;
  due_at: string | null;
  assignee_user_id: string | null;
  contact_id: string | null;
  /** An inbox conversation (src/inbox), by id: that module owns the row. */
  conversation_id: string | null;
  post_id: string | null;
  /** The stream item the task was made from. */
  item_id: string | null;
  /** The team-feed post the task was made from. */
  team_post_id: string | null;
  done_at: string | null;
  /** When the due reminder went to the assignee's bell; null until then. */
  reminded_at: string | null;
  created_by_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface CrmTables {
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  contact_notes: ContactNotesTable;
  contact_tags: ContactTagsTable;
  companies: CompaniesTable;
  crm_settings: CrmSettingsTable;
  contact_interactions: ContactInteractionsTable;
  contact_stage_changes: ContactStageChangesTable;
  tasks: TasksTable;
}
