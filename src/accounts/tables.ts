/** Tables owned by the accounts module. Times are ISO-8601 UTC strings on both dialects. */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  locale: string;
  created_at: string;
}

export interface SessionsTable {
  /** sha256 of the cookie value: a stolen database does not yield live sessions. */
  id_hash: string;
  /** Names the session in the sessions list (revoke one), so the digest never leaves the server. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  /** Written at most once a minute per session (not on every request). */
  last_seen_at: string;
  /** The client address last seen, updated with last_seen_at. */
  ip: string;
  user_agent: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** First characters of the token, shown in the UI to tell tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

/** One failed (or still running) password check. */
export interface LoginFailuresTable {
  id: string;
  /** The lowercased email tried, whether or not an account has it. */
  account: string;
  /** The client address (an IPv6 client's /64), see throttleAddress. */
  address: string;
  at: string;
}

/** An e-mailed password reset link: single use, short-lived. */
export interface PasswordResetsTable {
  /** sha256 of the token in the link: a stolen database does not yield working links. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** Every reset request (known email or not), so one address cannot mail-bomb through us. */
export interface PasswordResetRequestsTable {
  id: string;
  address: string;
  at: string;
}

/** A user's authenticator app (TOTP, RFC 6238): one per user. */
export interface TwoFactorCredentialsTable {
  user_id: string;
  /** The TOTP secret sealed with the instance key (src/lib/sealed-box.ts), bound to the user id. */
  sealed_secret: string;
  created_at: string;
  /** Null while enrolment waits for its first code: the factor is not on yet. */
  enabled_at: string | null;
  /** The newest time step a code was accepted for: a code at or before it is a replay. */
  last_used_step: number | null;
}

export interface TwoFactorRecoveryCodesTable {
  id: string;
  user_id: string;
  /** sha256 of the normalized code (80 random bits, so a plain digest is enough). */
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface AccountsTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  two_factor_credentials: TwoFactorCredentialsTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  password_resets: PasswordResetsTable;
  password_reset_requests: PasswordResetRequestsTable;
}
