import { z } from 'zod';
import { OrgView } from './teams.js';
import { LOCALES } from './vocabulary.js';

export { LOCALES };
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

/** What the API may show of a user: never the password hash. */
export const UserView = z.object({ id: z.string(), email: z.string(), name: z.string(), locale: z.string(), createdAt: z.string() });
export type UserView = z.infer<typeof UserView>;

/** Signed in: who, in which orgs, and the CSRF token cookie-authenticated writes echo. */
export const SessionAnswer = z.object({
  user: UserView,
  orgs: z.array(OrgView),
  csrfToken: z.string().nullable(),
  /** How this request was authenticated; only GET /api/session tells. */
  via: z.enum(['session', 'token']).optional(),
  /** Runs the installation (backups, status incidents); only GET /api/session tells. */
  instanceAdmin: z.boolean().optional(),
});
export type SessionAnswer = z.infer<typeof SessionAnswer>;

/** The password step's answer when the account has two-factor sign-in on: no session yet, a code is asked for next. */
export const TwoFactorChallenge = z.object({ twoFactorRequired: z.literal(true), challenge: z.string(), expiresAt: z.string() });
export type TwoFactorChallenge = z.infer<typeof TwoFactorChallenge>;

export const SignInAnswer = z.union([TwoFactorChallenge, SessionAnswer]);
export type SignInAnswer = z.infer<typeof SignInAnswer>;

export const SetupStatusAnswer = z.object({ setupRequired: z.boolean() });
export type SetupStatusAnswer = z.infer<typeof SetupStatusAnswer>;
export const UserAnswer = z.object({ user: UserView });
export type UserAnswer = z.infer<typeof UserAnswer>;

export const ApiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;
export const ApiTokensAnswer = z.object({ tokens: z.array(ApiTokenView) });
export type ApiTokensAnswer = z.infer<typeof ApiTokensAnswer>;
/** `token` is shown this once. */
export const NewApiTokenAnswer = z.object({ token: z.string(), apiToken: ApiTokenView });
export type NewApiTokenAnswer = z.infer<typeof NewApiTokenAnswer>;

/** One of the signed-in user's sessions (a browser); the list is shown only to that user. */
export const SessionView = z.object({
  id: z.string(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  userAgent: z.string(),
  /** The full client address last seen. */
  ip: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** The session this request came with. */
  current: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;
export const SessionsAnswer = z.object({ sessions: z.array(SessionView) });
export type SessionsAnswer = z.infer<typeof SessionsAnswer>;
export const EndedSessionsAnswer = z.object({ ended: z.number() });
export type EndedSessionsAnswer = z.infer<typeof EndedSessionsAnswer>;

export const TwoFactorStatus = z.object({ enabled: z.boolean(), enabledAt: z.string().nullable(), recoveryCodesLeft: z.number() });
export type TwoFactorStatus = z.infer<typeof TwoFactorStatus>;
export const Enrolment = z.object({
  /** Base32, for typing into an app that cannot scan. */
  secret: z.string(),
  uri: z.string(),
  /** The URI as a QR code, a PNG data URL. */
  qrCode: z.string(),
});
export type Enrolment = z.infer<typeof Enrolment>;
export const TwoFactorAnswer = z.object({ twoFactor: TwoFactorStatus });
export type TwoFactorAnswer = z.infer<typeof TwoFactorAnswer>;
export const EnrolmentAnswer = z.object({ enrolment: Enrolment });
export type EnrolmentAnswer = z.infer<typeof EnrolmentAnswer>;
/** Recovery codes are shown once. */
export const RecoveryCodesAnswer = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodesAnswer = z.infer<typeof RecoveryCodesAnswer>;
export const EnabledTwoFactorAnswer = z.object({ recoveryCodes: z.array(z.string()), twoFactor: TwoFactorStatus });
export type EnabledTwoFactorAnswer = z.infer<typeof EnabledTwoFactorAnswer>;

export const PasswordResetAvailability = z.object({ byMail: z.boolean() });
export type PasswordResetAvailability = z.infer<typeof PasswordResetAvailability>;
export const PasswordResetRequested = z.object({ linkLifetimeMinutes: z.number() });
export type PasswordResetRequested = z.infer<typeof PasswordResetRequested>;
export const ResetLinkPreview = z.object({ expiresAt: z.string() });
export type ResetLinkPreview = z.infer<typeof ResetLinkPreview>;
export const PasswordResetDone = z.object({ email: z.string() });
export type PasswordResetDone = z.infer<typeof PasswordResetDone>;
