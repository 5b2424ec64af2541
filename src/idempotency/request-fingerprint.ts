import { createHmac, hkdfSync } from 'node:crypto';

/** What makes two requests "the same request" for an Idempotency-Key. */
export interface FingerprintedRequest {
  method: string;
  /** The matched route's pattern (`/api/orgs/:orgId/posts`), not the raw URL. */
  route: string;
  /** Its path parameters: the org and, say, the contact a note is added to. */
  params: unknown;
  /** The body after validation. */
  body: unknown;
}

/**
 * JSON with every object's keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request.
 * Array order is kept (it means something: the order of images, of accounts).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A keyed hash (HMAC-SHA256 under a key derived from the instance secret) of the canonical
 * request: keyed, because bodies can hold guessable secrets (a channel's password) and the
 * stored hash must not let anyone test guesses against it.
 */
export class RequestFingerprinter {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'chorus/idempotency', 'request fingerprint v1', 32));
  }

  fingerprint(request: FingerprintedRequest): string {
    const canonical = canonicalJson({ method: request.method.toUpperCase(), route: request.route, params: request.params ?? {}, body: request.body ?? null });
    return createHmac('sha256', this.key).update(canonical).digest('base64url');
  }
}
