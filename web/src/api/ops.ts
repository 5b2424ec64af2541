import type { BackupListing, BackupRetention, BackupView, IncidentView, SlaComponentMonth, SlaReport, StatusComponent, StatusOverview } from '@core/api/ops.js';
import type { IncidentState } from '@core/api/vocabulary.js';
import { request, segment } from './client.js';

/** Answers of src/ops/: the server's own (core/api/ops.ts). */
export type Backup = BackupView;
export type { BackupListing, BackupRetention, SlaComponentMonth, SlaReport, StatusComponent, StatusOverview };
export type Incident = IncidentView;
export { INCIDENT_STATES, type IncidentState } from '@core/api/vocabulary.js';

export const listBackups = () => request<BackupListing>('GET', '/api/ops/backups');

export const takeBackup = () => request<{ backup: Backup; pruned: string[] }>('POST', '/api/ops/backups');

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

export const getSlaReport = (months = 12) => request<SlaReport>('GET', `/api/ops/sla?months=${months}`);

/** A plain download link: the browser saves the .tar.gz itself (docs/export-format.md). */
export const exportUrl = (orgId: string) => `/api/orgs/${segment(orgId)}/export`;
