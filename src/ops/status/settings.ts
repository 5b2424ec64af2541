import { DEFAULT_SLA, type SlaPolicy } from './sla.js';
import type { StatusSettings } from './service.js';

export interface ProberSettings extends StatusSettings {
  /** 0 disables probing (tests, or a second process on the same store). */
  intervalMs: number;
}

export const DEFAULT_PROBE_SECONDS = 30;

/** From CHORUS_STATUS_PROBE_SECONDS and CHORUS_SLA_POLICY (src/config.ts; the SLA shape is in docs/durability.md). */
export function statusSettings(probeSeconds = DEFAULT_PROBE_SECONDS, sla: SlaPolicy = DEFAULT_SLA): ProberSettings {
  const intervalMs = probeSeconds * 1000;
  // Two missed probes (plus slack) before silence counts as down time.
  return { intervalMs, gapMs: Math.max(intervalMs, 30_000) * 2.5, sla };
}
