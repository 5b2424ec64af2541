import type { OrgScope } from '../teams/org-scope.js';

/** Contacts created in [fromIso, toIso): the "new contacts" of analytics reports. */
export async function contactsCreatedBetween(scope: OrgScope, fromIso: string, toIso: string): Promise<number> {
  const row = await scope
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_at', '>=', fromIso)
    .where('created_at', '<', toIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
