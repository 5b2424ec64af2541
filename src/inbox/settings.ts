import type { InboxSettingsView } from '../../core/api/inbox.js';
import type { OrgScope } from '../teams/org-scope.js';

export const DEFAULT_INBOX_SETTINGS: InboxSettingsView = { slaMinutes: null, autoContacts: 'first_conversation' };

export async function inboxSettings(scope: OrgScope): Promise<InboxSettingsView> {
  const row = await scope.selectFrom('inbox_settings').selectAll().executeTakeFirst();
  return row ? { slaMinutes: row.sla_minutes, autoContacts: row.auto_contacts } : DEFAULT_INBOX_SETTINGS;
}

export async function setInboxSettings(scope: OrgScope, input: Partial<InboxSettingsView>): Promise<InboxSettingsView> {
  return scope.transaction(async (tx) => {
    const next = { ...(await inboxSettings(tx)), ...input };
    const updated = await tx.updateTable('inbox_settings').set({ sla_minutes: next.slaMinutes, auto_contacts: next.autoContacts }).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('inbox_settings', { sla_minutes: next.slaMinutes, auto_contacts: next.autoContacts });
    await tx.audit('inbox.settings_changed', { ...input });
    return next;
  });
}
