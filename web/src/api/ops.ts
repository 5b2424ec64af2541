import { request, segment } from './client.js';

/** Response shapes of src/ops/backup/routes.ts, src/ops/status/routes.ts and src/ops/export/routes.ts. */
export interface Backup {
  id: string;
  createdAt: string;
  schemaVersion: string;
  databaseBytes: number;
  compressedBytes: number;
  rowCounts: Record<string, number>;
  verifiedAt: string;
}

export interface BackupRetention {
  hourly: number;
  daily: number;
  weekly: number;
}

export interface BackupListing {
  directory: string;
  /** 0: no schedule, only backups taken by hand. */
  intervalMinutes: number;
  retention: BackupRetention;
  backups: Backup[];
  unreadable: { id: string; problem: string }[];
}

export const listBackups = () => request<BackupListing>('GET', '/api/ops/backups');

export const takeBackup = () => request<{ backup: Backup; pruned: string[] }>('POST', '/api/ops/backups');

export const INCIDENT_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export interface Incident {
  id: string;
  title: string;
  state: IncidentState;
  components: string[];
  createdAt: string;
  resolvedAt: string | null;
  /** Newest first. */
  updates: { state: IncidentState; message: string; at: string }[];
}

export interface StatusComponent {
  name: string;
  state: 'up' | 'down';
  since: string;
  uptime90Days: number | null;
}

export interface StatusOverview {
  status: 'operational' | 'degraded';
  checkedAt: string;
  components: StatusComponent[];
  incidents: Incident[];
}

export const getStatus = () => request<StatusOverview>('GET', '/api/status');

export interface NewIncident {
  title: string;
  message: string;
  components: string[];
  state?: IncidentState;
}

export const openIncident = (incident: NewIncident) => request<{ incident: Incident }>('POST', '/api/ops/incidents', incident);

export const postIncidentUpdate = (incidentId: string, update: { state: IncidentState; message: string }) =>
  request<{ incident: Incident | null }>('POST', `/api/ops/incidents/${segment(incidentId)}/updates`, update);

export interface SlaComponentMonth {
  name: string;
  percent: number | null;
  downMinutes: number;
  longestOutageMinutes: number;
  metTarget: boolean | null;
  creditPercent: number;
  reasons: string[];
}

export interface SlaReport {
  policy: { targetPercent: number; credits: ({ whenAvailabilityBelow: number; creditPercent: number } | { whenOutageLongerThanHours: number; creditPercent: number })[] };
  /** Oldest first; `month` is YYYY-MM. */
  months: { month: string; complete: boolean; creditPercent: number; components: SlaComponentMonth[] }[];
}

export const getSlaReport = (months = 12) => request<SlaReport>('GET', `/api/ops/sla?months=${months}`);

/** A plain download link: the browser saves the .tar.gz itself (docs/export-format.md). */
export const exportUrl = (orgId: string) => `/api/orgs/${segment(orgId)}/export`;
