import type { OrgScope } from '../teams/org-scope.js';

/** The display names of these contacts, by id; a contact that is gone (deleted, merged away) is absent. */
export async function contactNames(scope: OrgScope, contactIds: string[]): Promise<Map<string, string>> {
  if (contactIds.length === 0) return new Map();
  const rows = await scope.selectFrom('contacts').select(['id', 'display_name']).where('id', 'in', contactIds).execute();
  return new Map(rows.map((c) => [c.id, c.display_name]));
}
