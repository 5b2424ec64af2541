const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When to pull a post's metrics again, decaying with its age: every 5 minutes in its first 6
 * hours, every 30 minutes until a day old, every 6 hours until a week old, daily until 30 days,
 * then never (null): engagement has settled and the network's rate limits are better spent elsewhere.
 */
export function nextPullAt(publishedAt: string, now: Date): string | null {
  const age = now.getTime() - Date.parse(publishedAt);
  const every = age < 6 * HOUR ? 5 * MINUTE : age < DAY ? 30 * MINUTE : age < 7 * DAY ? 6 * HOUR : age < 30 * DAY ? DAY : null;
  return every === null ? null : new Date(now.getTime() + every).toISOString();
}

export const METRICS_WINDOW_MS = 30 * DAY;
