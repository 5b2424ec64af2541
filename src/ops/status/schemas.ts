import { z } from 'zod';
import { INCIDENT_STATES } from './tables.js';

const State = z.enum(INCIDENT_STATES);
const Message = z.string().trim().min(1).max(5000);

export const NewIncidentBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  message: Message,
  components: z.array(z.string().min(1).max(200)).max(50).default([]),
  state: State.default('investigating'),
});
export const IncidentUpdateBody = z.strictObject({ state: State, message: Message });
export const IncidentParams = z.strictObject({ incidentId: z.string().min(1).max(100) });
export const SlaQuery = z.strictObject({ months: z.coerce.number().int().min(1).max(36).default(12) });

/** The status page's language, when the reader picked one; anything else falls back to Accept-Language. */
export const StatusPageQuery = z.object({ lang: z.string().max(10).optional() });
