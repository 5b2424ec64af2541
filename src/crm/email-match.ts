import { sql } from 'kysely';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import { crmSettings } from './settings.js';

export const emailKey = (email: string): string => email.trim().toLowerCase();

/** The contact that answers for an email: the one holding its key, else the oldest with that email. */
export async function contactOfEmail(scope: OrgScope, email: string): Promise<string | null> {
  const key = emailKey(email);
  const holder = await scope.selectFrom('contacts').select('id').where('email_key', '=', key).executeTakeFirst();
  if (holder) return holder.id;
  const same = await scope
    .selectFrom('contacts')
    .select('id')
    .where(sql<boolean>`lower(contacts.email) = ${key}`)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return same?.id ?? null;
}

/**
 * After a contact's email was set or changed: it gives up its old key and takes the new one if no
 * other contact holds it (two contacts typed with one email stay possible; the first answers).
 */
export async function syncEmailKey(scope: OrgScope, contactId: string, email: string | null): Promise<void> {
  await scope.updateTable('contacts').set({ email_key: null }).where('id', '=', contactId).execute();
  if (email === null) return;
  const key = emailKey(email);
  const taken = await scope.selectFrom('contacts').select('id').where('email_key', '=', key).executeTakeFirst();
  if (!taken) await scope.updateTable('contacts').set({ email_key: key }).where('id', '=', contactId).execute();
}

export interface EmailContactInput {
  email: string;
  displayName: string;
  companyId?: string | null;
}

/**
 * The contact of an email address, made now if none has it. Safe under concurrency: the insert
 * claims the email's key, unique per org, with ON CONFLICT DO NOTHING, so two submissions at
 * once with one new email make one contact and neither fails (the loser reads the winner's row,
 * committed by then: PostgreSQL waits on the conflicting insert, SQLite has one writer).
 */
export async function findOrCreateContactByEmail(scope: OrgScope, input: EmailContactInput): Promise<{ contactId: string; created: boolean }> {
  return scope.transaction(async (tx) => {
    const existing = await contactOfEmail(tx, input.email);
    if (existing) return { contactId: existing, created: false };
    const id = newId();
    const now = tx.now();
    const { stages } = await crmSettings(tx);
    const displayName = input.displayName.trim().slice(0, 200) || input.email.trim();
    const inserted = await tx.shared
      .insertInto('contacts')
      .values({
        id,
        org_id: tx.orgId,
        display_name: displayName,
        sort_name: displayName.toLowerCase(),
        email: input.email.trim(),
        email_key: emailKey(input.email),
        company: null,
        company_id: input.companyId ?? null,
        stage: stages[0]!,
        created_by_user_id: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['org_id', 'email_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
      await tx.audit('contact.created', { contactId: id, displayName, fromEmail: true });
      return { contactId: id, created: true };
    }
    return { contactId: (await contactOfEmail(tx, input.email))!, created: false };
  });
}
