import { AtpAgent, type AtpSessionData } from '@atproto/api';
import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import type { BlueskyCredentials, BlueskySession } from './credentials.js';
import { isAuthError, toFailure } from './failures.js';

/**
 * One logged-in agent for one connected account. The app password is the durable secret; the
 * session tokens are a cache that the SDK refreshes and we persist through saveCredentials. A
 * rejected refresh never overwrites what is stored: we log in again with the app password, and
 * if that fails too the caller gets an `auth` failure with the stored credentials untouched.
 */
export class BlueskyAccountSession {
  readonly agent: AtpAgent;
  private credentials: BlueskyCredentials;
  private saving: Promise<void> = Promise.resolve();
  private saveError: unknown = null;
  /** Epoch ms before which the server told us not to call again (ratelimit-remaining: 0). */
  private quietUntil = 0;
  /** The sign-in under way: lanes of one publisher round share it instead of each signing in. */
  private signingIn: Promise<void> | null = null;

  constructor(
    credentials: BlueskyCredentials,
    private readonly ctx: ConnectorContext,
  ) {
    this.credentials = credentials;
    this.agent = new AtpAgent({
      service: credentials.service,
      fetch: (input, init) => this.fetchWatchingLimits(input, init),
      persistSession: (event, session) => {
        // 'expired' and 'create-failed' persist nothing on purpose: see the class comment.
        if ((event === 'create' || event === 'update') && session) this.persist(session);
      },
    });
    if (credentials.session) {
      const { pdsUrl, ...stored } = credentials.session;
      this.agent.sessionManager.session = { ...stored, active: true };
      if (pdsUrl) this.agent.sessionManager.pdsUrl = new URL(pdsUrl);
    }
  }

  get did(): string {
    const did = this.agent.session?.did;
    if (!did) throw new Error('no Bluesky session');
    return did;
  }

  /** Runs one operation with a live session and maps anything thrown to a typed failure. */
  async run<T>(operation: (agent: AtpAgent) => Promise<T>): Promise<ConnectorResult<T>> {
    const now = this.ctx.now();
    if (now.getTime() < this.quietUntil) {
      return failed({ kind: 'rate_limited', message: 'Bluesky rate limit reached', retryAfterMs: this.quietUntil - now.getTime() });
    }
    try {
      let loggedIn = false;
      if (!this.agent.hasSession) {
        await this.login();
        loggedIn = true;
      }
      let value: T;
      try {
        value = await operation(this.agent);
      } catch (error) {
        // The SDK already tried a refresh; a rejected one leaves us without a session.
        if (loggedIn || !isAuthError(error)) throw error;
        await this.login();
        value = await operation(this.agent);
      }
      await this.saving;
      const saveError = this.saveError;
      this.saveError = null;
      if (saveError) throw saveError;
      return succeeded(value);
    } catch (error) {
      return failed(toFailure(error, this.ctx.now()));
    }
  }

  private login(): Promise<void> {
    this.signingIn ??= this.agent
      .login({ identifier: this.credentials.identifier, password: this.credentials.appPassword })
      .then(() => undefined)
      .finally(() => {
        this.signingIn = null;
      });
    return this.signingIn;
  }

  private persist(session: AtpSessionData): void {
    const stored: BlueskySession = {
      did: session.did,
      handle: session.handle,
      accessJwt: session.accessJwt,
      refreshJwt: session.refreshJwt,
      pdsUrl: this.agent.sessionManager.pdsUrl?.toString() ?? null,
    };
    this.credentials = { ...this.credentials, session: stored };
    const next = this.credentials;
    this.saving = this.saving
      .then(() => this.ctx.saveCredentials(next))
      .catch((error: unknown) => {
        this.saveError = error;
      });
  }

  private async fetchWatchingLimits(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const response = await this.ctx.fetch(input, init);
    const remaining = response.headers.get('ratelimit-remaining');
    const reset = Number(response.headers.get('ratelimit-reset'));
    if (remaining === '0' && Number.isFinite(reset)) this.quietUntil = reset * 1000;
    return response;
  }
}
