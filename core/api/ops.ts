import { z } from 'zod';
import { INCIDENT_STATES } from './vocabulary.js';

/** GET /healthz: the process is up. */
export const LivenessAnswer = z.object({ status: z.literal('ok') });
export type LivenessAnswer = z.infer<typeof LivenessAnswer>;
/** GET /readyz: 200 ready, 503 not_ready, with each check. */
export const ReadinessAnswer = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});
export type ReadinessAnswer = z.infer<typeof ReadinessAnswer>;

export { INCIDENT_STATES };
export const IncidentState = z.enum(INCIDENT_STATES);
export type IncidentState = z.infer<typeof IncidentState>;

export const IncidentView = z.object({
  id: z.string(),
  title: z.string(),
  state: IncidentState,
  components: z.array(z.string()),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** Newest first. */
  updates: z.array(z.object({ state: IncidentState, message: z.string(), at: z.string() })),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const StatusComponent = z.object({
  name: z.string(),
  state: z.enum(['up', 'down']),
  since: z.string(),
  uptime90Days: z.number().nullable(),
  /** One bar a day, oldest first. */
  days: z.array(z.object({ day: z.string(), percent: z.number().nullable() })),
  /** The last three calendar months, YYYY-MM. */
  months: z.array(z.object({ month: z.string(), percent: z.number().nullable() })),
});
export type StatusComponent = z.infer<typeof StatusComponent>;

export const StatusOverview = z.object({
  status: z.enum(['operational', 'degraded']),
  checkedAt: z.string(),
  components: z.array(StatusComponent),
  incidents: z.array(IncidentView),
});
export type StatusOverview = z.infer<typeof StatusOverview>;

export const IncidentAnswer = z.object({ incident: IncidentView });
export type IncidentAnswer = z.infer<typeof IncidentAnswer>;
/** Null when the incident is older than the status page shows. */
export const IncidentUpdateAnswer = z.object({ incident: IncidentView.nullable() });
export type IncidentUpdateAnswer = z.infer<typeof IncidentUpdateAnswer>;

const CreditRule = z.union([
  z.object({ whenAvailabilityBelow: z.number(), creditPercent: z.number() }),
  z.object({ whenOutageLongerThanHours: z.number(), creditPercent: z.number() }),
]);
export const SlaComponentMonth = z.object({
  name: z.string(),
  percent: z.number().nullable(),
  downMinutes: z.number(),
  longestOutageMinutes: z.number(),
  metTarget: z.boolean().nullable(),
  creditPercent: z.number(),
  reasons: z.array(z.string()),
});
export type SlaComponentMonth = z.infer<typeof SlaComponentMonth>;
export const SlaReport = z.object({
  policy: z.object({ targetPercent: z.number(), credits: z.array(CreditRule) }),
  /** Oldest first; `month` is YYYY-MM. */
  months: z.array(z.object({ month: z.string(), complete: z.boolean(), creditPercent: z.number(), components: z.array(SlaComponentMonth) })),
});
export type SlaReport = z.infer<typeof SlaReport>;

/** A verified backup of the embedded store (its manifest). */
export const BackupView = z.object({
  format: z.literal('chorus-backup'),
  formatVersion: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  schemaVersion: z.string(),
  migrations: z.array(z.string()),
  databaseBytes: z.number(),
  file: z.string(),
  compressedBytes: z.number(),
  sha256: z.string(),
  rowCounts: z.record(z.string(), z.number()),
  verifiedAt: z.string(),
});
export type BackupView = z.infer<typeof BackupView>;
export const BackupRetention = z.object({ hourly: z.number(), daily: z.number(), weekly: z.number() });
export type BackupRetention = z.infer<typeof BackupRetention>;
export const BackupListing = z.object({
  directory: z.string(),
  /** 0: no schedule, only backups taken by hand. */
  intervalMinutes: z.number(),
  retention: BackupRetention,
  backups: z.array(BackupView),
  /** Manifests that could not be read, with why. */
  unreadable: z.array(z.object({ id: z.string(), problem: z.string() })),
});
export type BackupListing = z.infer<typeof BackupListing>;
export const NewBackupAnswer = z.object({ backup: BackupView, pruned: z.array(z.string()) });
export type NewBackupAnswer = z.infer<typeof NewBackupAnswer>;

/** GET …/export: the org as a .tar.gz of JSON Lines (docs/export-format.md). */
export const ExportArchive = z.unknown().describe('application/gzip: a .tar.gz of JSON Lines, one file a table');
export type ExportArchive = z.infer<typeof ExportArchive>;
