import { spreadsheetCsv } from '../../core/spreadsheet-csv.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { ContactFilters } from './contact-filters.js';
import { listContacts } from './service.js';
import type { ContactView } from './views.js';

const PAGE = 100;

const HEADER = ['name', 'email', 'company', 'tags', 'identities', 'profile_urls', 'notes', 'last_seen_at', 'created_at', 'stage', 'owner', 'score'];

const row = (contact: ContactView): string[] => [
  contact.displayName,
  contact.email ?? '',
  contact.company ?? '',
  contact.tags.join('; '),
  contact.identities.map((i) => `${i.network}:${i.handle}`).join('; '),
  contact.identities
    .map((i) => i.profileUrl ?? '')
    .filter(Boolean)
    .join('; '),
  String(contact.noteCount),
  contact.lastSeenAt ?? '',
  contact.createdAt,
  contact.stage,
  contact.ownerName ?? '',
  String(contact.score),
];

/**
 * The org's contacts as CSV, in list order, with the list's filters. UTF-8 with a
 * byte-order mark, which spreadsheet programs need to read Japanese names as UTF-8. Names and
 * handles come from networks and feeds: a display name like `=HYPERLINK(…)` stays text
 * (core/spreadsheet-csv.ts).
 */
export async function contactsCsv(scope: OrgScope, filters: ContactFilters): Promise<string> {
  const rows: string[][] = [HEADER];
  let before: string | undefined;
  do {
    const page = await listContacts(scope, { ...filters, before, limit: PAGE });
    rows.push(...page.contacts.map(row));
    before = page.nextCursor ?? undefined;
  } while (before !== undefined);
  return `\uFEFF${spreadsheetCsv(rows)}`;
}
