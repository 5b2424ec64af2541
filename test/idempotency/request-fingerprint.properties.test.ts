import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestFingerprinter, canonicalJson, type FingerprintedRequest } from '../../src/idempotency/request-fingerprint.js';

const fingerprinter = new RequestFingerprinter('fingerprint-test-secret-key-0123456789');

/** The same value with every object's keys in a shuffled order (what another JSON encoder may send). */
function shuffledKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, i) => shuffledKeys(item, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const order = entries.map((entry, i) => ({ entry, rank: Math.sin(seed * 9301 + i * 49297) }));
  order.sort((a, b) => a.rank - b.rank);
  return Object.fromEntries(order.map(({ entry: [key, item] }, i) => [key, shuffledKeys(item, seed + i + 1)]));
}

const request = (body: unknown, overrides: Partial<FingerprintedRequest> = {}): FingerprintedRequest => ({
  method: 'POST',
  route: '/api/orgs/:orgId/posts',
  params: { orgId: 'org-1' },
  body,
  ...overrides,
});

describe('the request fingerprint of an Idempotency-Key', () => {
  it('is the same for the same body with its keys in any order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (body, seed) => {
        expect(fingerprinter.fingerprint(request(shuffledKeys(body, seed)))).toBe(fingerprinter.fingerprint(request(body)));
      }),
    );
  });

  it('differs whenever the bodies differ as JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(fingerprinter.fingerprint(request(a))).not.toBe(fingerprinter.fingerprint(request(b)));
      }),
    );
  });

  it('keeps array order: images or accounts in another order are another request', () => {
    expect(fingerprinter.fingerprint(request({ mediaIds: ['a', 'b'] }))).not.toBe(fingerprinter.fingerprint(request({ mediaIds: ['b', 'a'] })));
  });

  it('tells apart the route, its path parameters and the method', () => {
    const body = { name: 'Launch' };
    const base = fingerprinter.fingerprint(request(body));
    expect(fingerprinter.fingerprint(request(body, { route: '/api/orgs/:orgId/boards' }))).not.toBe(base);
    expect(fingerprinter.fingerprint(request(body, { params: { orgId: 'org-2' } }))).not.toBe(base);
    expect(fingerprinter.fingerprint(request(body, { method: 'PUT' }))).not.toBe(base);
  });

  it('is keyed by the instance secret: another instance cannot test guesses against a stored hash', () => {
    const other = new RequestFingerprinter('another-instance-secret-key-987654321');
    expect(other.fingerprint(request({ password: 'hunter2' }))).not.toBe(fingerprinter.fingerprint(request({ password: 'hunter2' })));
  });

  it('encodes losslessly: the canonical text reads back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
