import type { ConnectorFailure } from '../channels/connector.js';

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 15 * 60_000;

export type Outcome = { retry: true; delayMs: number } | { retry: false };

/**
 * Transient trouble: exponential backoff with full jitter (5 s, 10 s, 20 s … capped at 15 min),
 * so a recovering network is not hit by every worker at once. Rate limits: exactly as long as
 * the network asked. Auth and validation failures never get better by waiting.
 */
export function decideRetry(failure: ConnectorFailure, attempts: number, random: () => number = Math.random): Outcome {
  if (failure.kind === 'auth' || failure.kind === 'permanent') return { retry: false };
  if (attempts >= MAX_ATTEMPTS) return { retry: false };
  if (failure.kind === 'rate_limited') return { retry: true, delayMs: Math.max(1_000, failure.retryAfterMs) };
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const delayMs = failure.retryAfterMs ?? Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return { retry: true, delayMs };
}

export function describeFailure(failure: ConnectorFailure): string {
  switch (failure.kind) {
    case 'auth':
      return `The account needs reconnecting: ${failure.message}`;
    case 'rate_limited':
      return `Rate-limited by the network: ${failure.message}`;
    default:
      return failure.message;
  }
}
