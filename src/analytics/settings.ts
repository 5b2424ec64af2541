import type { AnalyticsSettingsView } from '../../core/api/analytics.js';
import type { OrgScope } from '../teams/org-scope.js';

const DEFAULTS: AnalyticsSettingsView = { shortenLinks: false, utmEnabled: false, timeZone: 'UTC' };

/** The org's analytics settings; an org that never saved any has the defaults. */
export async function analyticsSettings(scope: OrgScope): Promise<AnalyticsSettingsView> {
  const row = await scope.selectFrom('analytics_settings').selectAll().executeTakeFirst();
  return row ? { shortenLinks: row.shorten_links === 1, utmEnabled: row.utm_enabled === 1, timeZone: row.time_zone } : DEFAULTS;
}

export async function updateAnalyticsSettings(scope: OrgScope, change: Partial<AnalyticsSettingsView>): Promise<AnalyticsSettingsView> {
  return scope.transaction(async (tx) => {
    const next = {
      ...(await analyticsSettings(tx)),
      ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    } as AnalyticsSettingsView;
    const row = { shorten_links: next.shortenLinks ? 1 : 0, utm_enabled: next.utmEnabled ? 1 : 0, time_zone: next.timeZone, updated_at: tx.now() };
    const updated = await tx.updateTable('analytics_settings').set(row).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('analytics_settings', row);
    await tx.audit('analytics.settings', { ...next });
    return next;
  });
}
