import { z } from 'zod';
import type { LineApi } from './api.js';

const profileAnswer = z.object({ userId: z.string(), displayName: z.string() });

/** Names change rarely; an hour keeps a busy chat column from asking LINE again on every poll. */
const TTL_MS = 60 * 60_000;
const MAX_ENTRIES = 5000;
const names = new Map<string, { name: string; until: number }>();

/**
 * Display names of the people who write to a LINE account (GET /v2/bot/profile/{userId}). A user
 * who has blocked the account has no profile any more: they stay "LINE user", the read goes on.
 */
export class LineProfiles {
  constructor(
    private readonly api: LineApi,
    /** Entries are kept per channel: one account's answers are never shown for another's. */
    private readonly cacheScope: string,
  ) {}

  async namesOf(userIds: string[]): Promise<Map<string, string>> {
    const now = this.api.now().getTime();
    const found = new Map<string, string>();
    for (const userId of new Set(userIds)) {
      const key = `${this.cacheScope}:${userId}`;
      const cached = names.get(key);
      if (cached && cached.until > now) {
        found.set(userId, cached.name);
        continue;
      }
      const name = await this.fetchName(userId);
      if (name === null) continue;
      if (names.size >= MAX_ENTRIES) names.delete(names.keys().next().value!);
      names.set(key, { name, until: now + TTL_MS });
      found.set(userId, name);
    }
    return found;
  }

  private async fetchName(userId: string): Promise<string | null> {
    try {
      const answer = await this.api.call({ path: `/v2/bot/profile/${encodeURIComponent(userId)}` });
      return profileAnswer.parse(answer.body).displayName;
    } catch {
      return null;
    }
  }
}
