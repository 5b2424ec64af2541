import { createHmac } from 'node:crypto';
import type { SafeFetch } from '../lib/outbound-http/safe-fetch.js';
import type { WebhookEvent } from '../../core/api/vocabulary.js';

export { WEBHOOK_EVENTS, type WebhookEvent } from '../../core/api/vocabulary.js';

export interface WebhookDelivery {
  status: number | null;
  error: string | null;
}

/**
 * POSTs one event as JSON with `X-Chorus-Signature: sha256=<hex HMAC of the body>`, so the
 * receiver can check it came from this Chorus. Best effort: one attempt with the guarded
 * fetch's timeout; the outcome is recorded on the endpoint for the admin to see.
 */
export async function deliverWebhook(
  fetch: SafeFetch,
  endpoint: { url: string; secret: string },
  event: WebhookEvent,
  payload: unknown,
  now: Date,
): Promise<WebhookDelivery> {
  const body = JSON.stringify({ event, at: now.toISOString(), data: payload });
  const signature = createHmac('sha256', endpoint.secret).update(body).digest('hex');
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chorus-event': event, 'x-chorus-signature': `sha256=${signature}` },
      body,
    });
    await response.body?.cancel().catch(() => {});
    return response.ok ? { status: response.status, error: null } : { status: response.status, error: `The receiver answered HTTP ${response.status}` };
  } catch (error) {
    return { status: null, error: (error as Error).message };
  }
}
