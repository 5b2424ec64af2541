import type { IncidentState } from '../../../core/api/ops.js';

export type ComponentState = 'up' | 'down';
export { INCIDENT_STATES, type IncidentState } from '../../../core/api/ops.js';

/** One stretch of time a component spent in one state; the open one has `ended_at` null. */
export interface StatusPeriodsTable {
  id: string;
  component: string;
  state: ComponentState;
  started_at: string;
  ended_at: string | null;
  /** Last probe that confirmed this state: a gap after it means nobody was probing (Chorus was down). */
  last_probe_at: string;
  detail: string;
}

export interface StatusIncidentsTable {
  id: string;
  title: string;
  state: IncidentState;
  /** JSON array of component names. */
  components: string;
  created_by: string;
  created_at: string;
  resolved_at: string | null;
}

export interface StatusIncidentUpdatesTable {
  id: string;
  incident_id: string;
  state: IncidentState;
  message: string;
  at: string;
}

export interface StatusTables {
  status_periods: StatusPeriodsTable;
  status_incidents: StatusIncidentsTable;
  status_incident_updates: StatusIncidentUpdatesTable;
}
