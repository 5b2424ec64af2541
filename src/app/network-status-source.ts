import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { ComponentSource } from '../ops/status/components.js';
import { openComponents } from '../ops/status/service.js';
import type { Database } from '../store/database.js';
import type { Network } from '../channels/connector.js';
import { recordedHealthOnNetworks } from '../channels/org-accounts.js';

/** Networks whose reachability the status page shows; feeds are many unrelated websites and the team feed is Chorus itself. */
const WATCHED: Network[] = ['bluesky', 'mastodon', 'x'];

/** Only health recorded this recently speaks for the network now. */
export const NETWORK_SIGNAL_WINDOW_MS = 60 * 60_000;

/**
 * The public status page shows one component per network (`network:bluesky`), never one per
 * account: handles and orgs are private to their org. A network is down when every account
 * that talked to it within the last hour met network trouble (`degraded`); an account that
 * needs reconnecting is its owner's matter, not an outage. The probe reads recorded health
 * only (connects, checks and stream reads), so the status page costs no API quota.
 */
export function channelNetworksStatusSource(db: Kysely<Database>, clock: Clock): ComponentSource {
  return async () => {
    const rows = await recordedHealthOnNetworks(db, WATCHED);
    // A network whose accounts were all removed keeps being probed while its period is open, so the gap rule does not record that silence as down time.
    const open = await openComponents(db, 'network:');
    const networks = new Set<Network>([
      ...rows.map((r) => r.network),
      ...open.map((component) => component.slice('network:'.length) as Network).filter((n) => WATCHED.includes(n)),
    ]);
    return [...networks].sort().map((network) => ({
      name: `network:${network}`,
      probe: async () => {
        const since = new Date(clock().getTime() - NETWORK_SIGNAL_WINDOW_MS).toISOString();
        const recent = rows.filter((r) => r.network === network && r.checkedAt !== null && r.checkedAt >= since && r.status !== 'needs_reconnect');
        const troubled = recent.filter((r) => r.status === 'degraded').length;
        if (recent.length > 0 && troubled === recent.length)
          return { ok: false, detail: `every account that read from it in the last hour met network trouble (${troubled})` };
        return { ok: true, detail: recent.length ? `${recent.length - troubled} of ${recent.length} recent accounts reached it` : 'no recent reads' };
      },
    }));
  };
}
