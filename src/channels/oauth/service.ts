import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isoIn, isoNow, type Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Database } from '../../store/database.js';
import { OrgScope } from '../../teams/org-scope.js';
import { can } from '../../../core/policies.js';
import { membershipRole } from '../../teams/service.js';
import type { Network } from '../connector.js';
import { CredentialsUnreadable } from '../credentials-cipher.js';
import { facebookAuthorizeUrl } from '../facebook/oauth.js';
import { linkedinAuthorizeUrl } from '../linkedin/oauth.js';
import { exchangeMastodonCode, mastodonAuthorizeUrl } from '../mastodon/oauth.js';
import { CONNECTORS } from '../registry.js';
import { connectChannel, getChannel, reconnectChannel, type ChannelsEnvironment } from '../service.js';
import type { ChannelOAuthStatesTable } from '../tables.js';
import { exchangeThreadsCode, threadsAuthorizeUrl } from '../threads/oauth.js';
import { exchangeXCode, xAccountOf, xAuthorizeUrl } from '../x/oauth.js';
import { oauthFailureMessage } from './failure-message.js';
import { connectFacebookPages } from './facebook-pages.js';
import { connectLinkedinPages } from './linkedin-pages.js';
import { mastodonAppFor } from './mastodon-apps.js';
import { OAUTH_STATE_LIFETIME_MS, type ChannelOAuthSettings } from './settings.js';

export type OAuthNetwork = ChannelOAuthStatesTable['network'];

export interface OAuthStart {
  redirectUri: string;
  /** Reconnect this channel instead of adding a new one. */
  channelId?: string | undefined;
}

/**
 * Where the callback sends the browser: the org's channel settings, with the channels connected
 * (several for a LinkedIn member who administers several pages or a person managing several Facebook
 * Pages, with what failed for the others)
 * or what went wrong.
 */
export type OAuthOutcome =
  | { orgId: string; network: OAuthNetwork; channelIds: string[]; error?: string | undefined }
  | { orgId: string | null; network: OAuthNetwork | null; error: string };

const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');

/** X: OAuth 2.0 with PKCE against the operator's X app. */
export async function startXAuthorization(
  scope: OrgScope,
  env: ChannelsEnvironment,
  settings: ChannelOAuthSettings,
  start: OAuthStart,
): Promise<{ authorizeUrl: string }> {
  if (!settings.x) {
    throw new DomainError(
      'x_oauth_not_configured',
      'Signing in with X is not set up on this Chorus: the operator must create an X app and set CHORUS_X_CLIENT_ID (and CHORUS_X_CLIENT_SECRET for a confidential client). Until then, connect X by pasting its tokens.',
      409,
    );
  }
  await assertReconnectable(scope, env, start.channelId, 'x');
  const authorization = xAuthorizeUrl(settings.x, start.redirectUri);
  await storeState(scope, authorization.state, {
    network: 'x',
    instance_url: null,
    code_verifier: env.cipher.seal(authorization.codeVerifier, hashState(authorization.state)),
    start,
  });
  return { authorizeUrl: authorization.url };
}

/** Threads: the operator's Meta app; Threads documents no PKCE, so the state alone binds the callback. */
export async function startThreadsAuthorization(
  scope: OrgScope,
  env: ChannelsEnvironment,
  settings: ChannelOAuthSettings,
  start: OAuthStart,
): Promise<{ authorizeUrl: string }> {
  if (!settings.threads)
    throw new DomainError(
      'threads_oauth_not_configured',
      'Signing in with Threads is not set up on this Chorus: the operator must create a Meta app with the Threads use case and set CHORUS_THREADS_APP_ID and CHORUS_THREADS_APP_SECRET. Until then, connect Threads by pasting its token.',
      409,
    );
  await assertReconnectable(scope, env, start.channelId, 'threads');
  const authorization = threadsAuthorizeUrl(settings.threads, start.redirectUri);
  await storeState(scope, authorization.state, { network: 'threads', instance_url: null, code_verifier: null, start });
  return { authorizeUrl: authorization.url };
}

/** LinkedIn: the operator's app with the Community Management API (PKCE is for LinkedIn's native apps only). */
export async function startLinkedinAuthorization(
  scope: OrgScope,
  env: ChannelsEnvironment,
  settings: ChannelOAuthSettings,
  start: OAuthStart,
): Promise<{ authorizeUrl: string }> {
  if (!settings.linkedin)
    throw new DomainError(
      'linkedin_oauth_not_configured',
      'Signing in with LinkedIn is not set up on this Chorus: the operator must create a LinkedIn app with the Community Management API and set CHORUS_LINKEDIN_CLIENT_ID and CHORUS_LINKEDIN_CLIENT_SECRET. Until then, connect a LinkedIn page by pasting its tokens.',
      409,
    );
  await assertReconnectable(scope, env, start.channelId, 'linkedin');
  const authorization = linkedinAuthorizeUrl(settings.linkedin, start.redirectUri);
  await storeState(scope, authorization.state, { network: 'linkedin', instance_url: null, code_verifier: null, start });
  return { authorizeUrl: authorization.url };
}

/**
 * Facebook Login (for Business) with the operator's Meta app: brings the person's Pages and the
 * Instagram accounts linked to them, so reconnecting an Instagram channel signs in here too.
 */
export async function startFacebookAuthorization(
  scope: OrgScope,
  env: ChannelsEnvironment,
  settings: ChannelOAuthSettings,
  start: OAuthStart,
): Promise<{ authorizeUrl: string }> {
  if (!settings.facebook)
    throw new DomainError(
      'facebook_oauth_not_configured',
      'Signing in with Facebook is not set up on this Chorus: the operator must create a Meta app with Facebook Login for Business and set CHORUS_META_APP_ID and CHORUS_META_APP_SECRET. Until then, connect a Facebook Page or Instagram account by pasting its token.',
      409,
    );
  await assertReconnectable(scope, env, start.channelId, 'facebook', 'instagram');
  const authorization = facebookAuthorizeUrl(settings.facebook, start.redirectUri);
  await storeState(scope, authorization.state, { network: 'facebook', instance_url: null, code_verifier: null, start });
  return { authorizeUrl: authorization.url };
}

/** Mastodon: Chorus's app on the user's instance (registered once), then the authorization code. */
export async function startMastodonAuthorization(
  scope: OrgScope,
  env: ChannelsEnvironment,
  clock: Clock,
  instanceUrl: string,
  start: OAuthStart,
): Promise<{ authorizeUrl: string }> {
  await assertReconnectable(scope, env, start.channelId, 'mastodon');
  let app;
  try {
    app = await mastodonAppFor(scope.shared, clock, env, new URL(instanceUrl).origin, start.redirectUri);
  } catch (error) {
    throw new DomainError('mastodon_app_registration_failed', `Could not register Chorus on ${new URL(instanceUrl).host}: ${(error as Error).message}`, 422, {
      network: 'mastodon',
    });
  }
  const authorization = mastodonAuthorizeUrl(app, start.redirectUri);
  await storeState(scope, authorization.state, { network: 'mastodon', instance_url: app.instanceUrl, code_verifier: null, start });
  return { authorizeUrl: authorization.url };
}

/**
 * The network sent the browser back. The state row (single use, unexpired) says which org, which
 * user and which flow; the caller must be that user and still allowed to manage channels.
 * Then the code is exchanged and the account (LinkedIn: the member's pages; Facebook: the person's Pages and their Instagram accounts) connected exactly as POST /channels would.
 */
export async function completeAuthorization(
  db: Kysely<Database>,
  clock: Clock,
  env: ChannelsEnvironment,
  settings: ChannelOAuthSettings,
  callback: { state?: string | undefined; code?: string | undefined; error?: string | undefined; errorDescription?: string | undefined; userId: string | null },
): Promise<OAuthOutcome> {
  if (!callback.state) return { orgId: null, network: null, error: 'The network sent no state back; start connecting again' };
  const id = hashState(callback.state);
  const row = await db.selectFrom('channel_oauth_states').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { orgId: null, network: null, error: 'This sign-in link was already used or is unknown; start connecting again' };
  // Single use: whoever deletes the row continues; a replayed or concurrent callback stops here.
  const deleted = await db.deleteFrom('channel_oauth_states').where('id', '=', id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1) return { orgId: null, network: null, error: 'This sign-in link was already used; start connecting again' };
  const failure = (error: string): OAuthOutcome => ({ orgId: row.org_id, network: row.network, error });
  // Facebook's sign-in also brings Instagram accounts: it is named after the sign-in, not the Page.
  const label = row.network === 'facebook' ? 'Facebook' : (CONNECTORS[row.network]?.label ?? row.network);
  if (row.expires_at <= isoNow(clock))
    return failure(`The ${label} sign-in took longer than ${OAUTH_STATE_LIFETIME_MS / 60_000} minutes; start connecting again`);
  if (callback.userId !== row.user_id) return failure(`Sign in to Chorus as the person who started connecting ${label}, then start again`);
  const role = await membershipRole(db, row.org_id, row.user_id);
  if (!role || !can(role, 'channels.manage')) return failure(`Your role no longer allows connecting channels in this organization`);
  if (callback.error) return failure(`${label} did not grant access: ${callback.errorDescription ?? callback.error}`);
  if (!callback.code) return failure(`${label} sent no authorization code back; start connecting again`);

  const scope = new OrgScope(db, row.org_id, { userId: row.user_id, role }, clock);
  const code = callback.code;
  try {
    if (row.network === 'linkedin' || row.network === 'facebook') {
      // One sign-in may bring several pages: connected ones and what stopped the others come back together.
      const flow = { code, redirectUri: row.redirect_uri, channelId: row.channel_id };
      const pages =
        row.network === 'linkedin'
          ? await connectLinkedinPages(scope, env, settings.linkedin, flow)
          : await connectFacebookPages(scope, env, settings.facebook, flow);
      return pages.channelIds.length > 0 ? { orgId: row.org_id, network: row.network, ...pages } : failure(pages.error ?? `${label} connected nothing`);
    }
    const credentials =
      row.network === 'x'
        ? await xCredentials(env, settings, row.code_verifier, id, code, row.redirect_uri, clock)
        : row.network === 'threads'
          ? await threadsCredentials(env, settings, code, row.redirect_uri, clock)
          : await mastodonCredentials(db, clock, env, row.instance_url, code, row.redirect_uri);
    const channel = row.channel_id
      ? await reconnectChannel(scope, env, row.channel_id, credentials)
      : await connectChannel(scope, env, { network: row.network, credentials });
    return { orgId: row.org_id, network: row.network, channelIds: [channel.id] };
  } catch (error) {
    return failure(oauthFailureMessage(label, error));
  }
}

/** Deletes authorizations nobody finished; called whenever a new one starts. */
async function storeState(
  scope: OrgScope,
  state: string,
  flow: { network: OAuthNetwork; instance_url: string | null; code_verifier: string | null; start: OAuthStart },
): Promise<void> {
  await scope.shared.deleteFrom('channel_oauth_states').where('expires_at', '<=', scope.now()).execute();
  await scope.insertInto('channel_oauth_states', {
    id: hashState(state),
    user_id: scope.actor.userId,
    network: flow.network,
    instance_url: flow.instance_url,
    code_verifier: flow.code_verifier,
    redirect_uri: flow.start.redirectUri,
    channel_id: flow.start.channelId ?? null,
    created_at: scope.now(),
    expires_at: isoIn(() => new Date(scope.now()), OAUTH_STATE_LIFETIME_MS),
  });
}

/** A sign-in may renew channels of more than one network (Facebook's: Pages and Instagram accounts). */
async function assertReconnectable(
  scope: OrgScope,
  env: ChannelsEnvironment,
  channelId: string | undefined,
  network: Network,
  ...alike: Network[]
): Promise<void> {
  if (!channelId) return;
  const channel = await getChannel(scope, env, channelId);
  if (channel.network !== network && !alike.includes(channel.network))
    throw new DomainError(
      'wrong_network',
      `That channel is a ${CONNECTORS[channel.network]?.label ?? channel.network} account, not ${CONNECTORS[network]?.label}`,
      400,
    );
}

async function xCredentials(
  env: ChannelsEnvironment,
  settings: ChannelOAuthSettings,
  sealedVerifier: string | null,
  stateId: string,
  code: string,
  redirectUri: string,
  clock: Clock,
) {
  // The X app is read again at the callback: an operator may have removed it in between.
  if (!settings.x) throw new DomainError('x_oauth_not_configured', 'Signing in with X is no longer set up on this Chorus (CHORUS_X_CLIENT_ID)', 409);
  let codeVerifier: string;
  try {
    codeVerifier = env.cipher.open(sealedVerifier ?? '', stateId) as string;
  } catch (error) {
    if (error instanceof CredentialsUnreadable)
      throw new DomainError('oauth_state_unreadable', 'The sign-in could not be finished (the server key changed); start connecting again', 409);
    throw error;
  }
  const tokens = await exchangeXCode(settings.x, { code, codeVerifier, redirectUri }, env.fetch, clock());
  const account = await xAccountOf(settings.x, tokens.accessToken, env.fetch);
  return {
    clientId: settings.x.clientId,
    ...(settings.x.clientSecret ? { clientSecret: settings.x.clientSecret } : {}),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt,
    userId: account.userId,
    username: account.username,
    ...(settings.x.apiBase ? { apiBase: settings.x.apiBase } : {}),
  };
}

/** The same shape as a pasted, already long-lived token: the connector refreshes it before its 60 days end. */
async function threadsCredentials(env: ChannelsEnvironment, settings: ChannelOAuthSettings, code: string, redirectUri: string, clock: Clock) {
  if (!settings.threads)
    throw new DomainError('threads_oauth_not_configured', 'Signing in with Threads is no longer set up on this Chorus (CHORUS_THREADS_APP_ID)', 409);
  const tokens = await exchangeThreadsCode(settings.threads, { code, redirectUri }, env.fetch, clock());
  return { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, ...(settings.threads.apiBase ? { apiBase: settings.threads.apiBase } : {}) };
}

async function mastodonCredentials(
  db: Kysely<Database>,
  clock: Clock,
  env: ChannelsEnvironment,
  instanceUrl: string | null,
  code: string,
  redirectUri: string,
) {
  if (!instanceUrl) throw new Error('the authorization names no instance');
  const app = await mastodonAppFor(db, clock, env, instanceUrl, redirectUri);
  return { instanceUrl, accessToken: await exchangeMastodonCode(app, code, redirectUri, env.fetch) };
}
