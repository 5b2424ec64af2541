import { ApiError, rememberCsrfToken, request } from './client.js';
import type { TwoFactorChallenge } from '@core/api/accounts.js';
import type { Locale, Session } from './types.js';

export const getSetupStatus = () => request<{ setupRequired: boolean }>('GET', '/api/setup');

export async function createOwner(input: { name: string; email: string; password: string; orgName: string; locale: Locale }): Promise<Session> {
  return remembered(await request<Session>('POST', '/api/setup', input));
}

/** The password step's answer when the account has two-factor sign-in on: no session yet, a code is asked for next. */
export type { TwoFactorChallenge };

export async function signIn(input: { email: string; password: string }): Promise<Session | TwoFactorChallenge> {
  const answer = await request<Session | TwoFactorChallenge>('POST', '/api/session', input);
  return 'twoFactorRequired' in answer ? answer : remembered(answer);
}

/** The second step: the challenge and a code from the authenticator app, or a recovery code. */
export async function completeSignIn(challenge: string, factor: { code: string } | { recoveryCode: string }): Promise<Session> {
  return remembered(await request<Session>('POST', '/api/session/two-factor', { challenge, ...factor }));
}

/** The signed-in session, or null when nobody is signed in. */
export async function getSession(): Promise<Session | null> {
  try {
    return remembered(await request<Session>('GET', '/api/session'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signOut(): Promise<void> {
  await request<void>('DELETE', '/api/session');
  rememberCsrfToken(null);
}

export function remembered(session: Session): Session {
  rememberCsrfToken(session.csrfToken);
  return session;
}
