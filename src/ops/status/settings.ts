import { z } from 'zod';
import { slaPolicyFromEnv } from './sla.js';
import type { StatusSettings } from './service.js';

export interface ProberSettings extends StatusSettings {
  /** 0 disables probing (tests, or a second process on the same store). */
  intervalMs: number;
}

const Seconds = z.coerce.number().int().min(0).max(3600).default(30);

/** CHORUS_STATUS_PROBE_SECONDS (default 30) and CHORUS_SLA_POLICY (JSON, see docs/durability.md). */
export function statusSettings(env: NodeJS.ProcessEnv = process.env): ProberSettings {
  const seconds = Seconds.safeParse(env.CHORUS_STATUS_PROBE_SECONDS || undefined);
  if (!seconds.success) throw new Error('CHORUS_STATUS_PROBE_SECONDS must be a whole number of seconds, 0 to 3600');
  const intervalMs = seconds.data * 1000;
  // Two missed probes (plus slack) before silence counts as down time.
  return { intervalMs, gapMs: Math.max(intervalMs, 30_000) * 2.5, sla: slaPolicyFromEnv(env) };
}
