import { Secret, TOTP } from 'otpauth';

/**
 * Time-based one-time codes (RFC 6238) with the parameters every authenticator app supports:
 * HMAC-SHA1, 6 digits, 30-second steps, a 160-bit secret. A code is accepted one step early or
 * late (clock drift, typing time); the step it matched is returned so a used code can be refused.
 */
const PERIOD_SECONDS = 30;
const DRIFT_STEPS = 1;
const ISSUER = 'Chorus';

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totpFor = (secret: string, account: string) =>
  new TOTP({ issuer: ISSUER, label: account, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });

/** The otpauth:// URI an authenticator app reads from the QR code. */
export const totpUri = (secret: string, account: string): string => totpFor(secret, account).toString();

/** The time step `code` belongs to, if it is the code of now or of one step either side; null otherwise. */
export function matchingStep(secret: string, code: string, at: Date): number | null {
  const totp = totpFor(secret, '');
  const delta = totp.validate({ token: code, timestamp: at.getTime(), window: DRIFT_STEPS });
  return delta === null ? null : totp.counter({ timestamp: at.getTime() }) + delta;
}
