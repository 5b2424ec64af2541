/**
 * One thing the user asked for: a click on Publish now, Save, Add. The intent holds one
 * Idempotency-Key, made when the user starts it and reused by every automatic repeat of its
 * requests (client.ts), so however often a request goes out, the server acts on it once.
 * An intent that creates several things (a post and its images) names each create: `key('post')`.
 */
export class Intent {
  readonly #base: string;

  constructor(base: string = newIdempotencyKey()) {
    this.#base = base;
  }

  key(part?: string): string {
    return part ? `${this.#base}.${part}` : this.#base;
  }
}

/**
 * 128 random bits as hex. getRandomValues, not randomUUID: Chorus may be served over plain
 * HTTP on a local network, where browsers offer randomUUID only to secure contexts.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
