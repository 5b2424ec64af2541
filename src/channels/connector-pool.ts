import type { ConnectorLookup } from './channel-directory.js';

interface PooledConnector {
  lookup: Promise<ConnectorLookup>;
  usedAt: number;
}

/**
 * Connectors kept between the publisher's rounds: a 09:00 burst then signs in (and builds an
 * SDK client) once per account, not once per account per round of 50 targets. An entry's key
 * holds everything the connector was built from (the sealed credentials, sealed anew at every
 * change, and the acting member's role), so a reconnect, a refreshed session or a changed role
 * builds a new one; idle and least recently used entries are dropped.
 */
export class ConnectorPool {
  private readonly entries = new Map<string, PooledConnector>();

  constructor(
    private readonly maxEntries = 200,
    private readonly idleMs = 10 * 60_000,
  ) {}

  get(key: string, now: number, open: () => Promise<ConnectorLookup>): Promise<ConnectorLookup> {
    const found = this.entries.get(key);
    this.entries.delete(key);
    if (found && now - found.usedAt <= this.idleMs) {
      found.usedAt = now;
      this.entries.set(key, found);
      return found.lookup;
    }
    const lookup = open();
    const entry = { lookup, usedAt: now };
    this.entries.set(key, entry);
    // Only a working connector is worth keeping: a refusal is asked again next time.
    void lookup.then(
      (result) => (result.ok ? undefined : this.drop(key, entry)),
      () => this.drop(key, entry),
    );
    this.trim(now);
    return lookup;
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string, entry: PooledConnector): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  /** Map order is least recently used first. */
  private trim(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && now - entry.usedAt <= this.idleMs) break;
      this.entries.delete(key);
    }
  }
}
