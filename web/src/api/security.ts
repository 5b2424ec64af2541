import type { Enrolment, SessionView, TwoFactorStatus } from '@core/api/accounts.js';
import { request, segment } from './client.js';

/**
 * The signed-in user's sessions and two-factor sign-in (docs/sessions-and-two-factor.md): the
 * server's own views, imported as types so the two cannot drift apart.
 */
export type SignedInSession = SessionView;
export type { Enrolment, TwoFactorStatus };

/** Either the password to confirm it is you, or a current code from the authenticator app. */
export type IdentityProof = { password: string } | { code: string };

export const listSessions = () => request<{ sessions: SignedInSession[] }>('GET', '/api/me/sessions');

export const endSession = (sessionId: string) => request<void>('DELETE', `/api/me/sessions/${segment(sessionId)}`);

/** Signs out every session, or every other one. */
export const endSessions = (scope: 'everywhere' | 'others') =>
  request<{ ended: number }>('DELETE', scope === 'others' ? '/api/me/sessions?except=current' : '/api/me/sessions');

export const getTwoFactor = () => request<{ twoFactor: TwoFactorStatus }>('GET', '/api/me/two-factor');

export const startEnrolment = (password: string) => request<{ enrolment: Enrolment }>('POST', '/api/me/two-factor/enrolment', { password });

export const confirmEnrolment = (code: string) =>
  request<{ recoveryCodes: string[]; twoFactor: TwoFactorStatus }>('POST', '/api/me/two-factor/enrolment/confirm', { code });

export const disableTwoFactor = (proof: IdentityProof) => request<void>('POST', '/api/me/two-factor/disable', proof);

export const renewRecoveryCodes = (proof: IdentityProof) => request<{ recoveryCodes: string[] }>('POST', '/api/me/two-factor/recovery-codes', proof);
