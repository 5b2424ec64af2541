import { createHmac, timingSafeEqual } from 'node:crypto';

/** X-Line-Signature: base64 of HMAC-SHA256 over the raw request body, keyed by the channel secret. */
export function lineSignature(channelSecret: string, body: Uint8Array): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

/** Compared in constant time, on the exact bytes received (a re-serialized body would not match). */
export function isLineSignatureValid(channelSecret: string, body: Uint8Array, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(lineSignature(channelSecret, body), 'base64');
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
