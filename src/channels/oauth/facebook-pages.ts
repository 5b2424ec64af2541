import { DomainError } from '../../lib/domain-error.js';
import type { OrgScope } from '../../teams/org-scope.js';
import { CredentialsUnreadable } from '../credentials-cipher.js';
import type { FacebookCredentials } from '../facebook/credentials.js';
import { exchangeFacebookCode, facebookManagedPages, type ManagedPage, type MetaApp } from '../facebook/oauth.js';
import type { InstagramCredentials } from '../instagram/credentials.js';
import { connectChannel, getChannel, reconnectChannel, type ChannelsEnvironment } from '../service.js';
import { oauthFailureMessage } from './failure-message.js';

/** One channel a sign-in can bring: a Page, or the Instagram professional account linked to it. */
interface MetaAccount {
  network: 'facebook' | 'instagram';
  remoteId: string;
  /** How the person knows it in a failure message. */
  name: string;
  page: ManagedPage;
  credentials: FacebookCredentials | InstagramCredentials;
}

/**
 * "Sign in with Facebook" connects every Page the person manages, and every Instagram
 * professional account linked to one, that the org lacks; those the org has already are renewed
 * with the new Page token (one sign-in repairs every Page after Meta invalidated their tokens,
 * as it does when the person changes their password). Reconnecting one channel renews that one
 * only. Page tokens made from a long-lived user token do not expire, so no end is stored.
 * A Page or account that fails does not stop the others, and is named in `error`.
 */
export async function connectFacebookPages(
  scope: OrgScope,
  env: ChannelsEnvironment,
  app: MetaApp | null,
  flow: { code: string; redirectUri: string; channelId: string | null },
): Promise<{ channelIds: string[]; error?: string }> {
  // The app is read again at the callback: an operator may have removed it in between.
  if (!app) throw new DomainError('facebook_oauth_not_configured', 'Signing in with Facebook is no longer set up on this Chorus (CHORUS_META_APP_ID)', 409);
  const userToken = await exchangeFacebookCode(app, { code: flow.code, redirectUri: flow.redirectUri }, env.fetch);
  const accounts = metaAccounts(app, await facebookManagedPages(app, userToken, env.fetch, () => new Date(scope.now())));

  if (flow.channelId) {
    const channel = await getChannel(scope, env, flow.channelId);
    const account = accounts.find((a) => a.network === channel.network && a.remoteId === channel.remoteId);
    if (!account)
      throw new DomainError(
        'facebook_page_not_managed',
        `The Facebook account that signed in does not manage ${channel.displayName} (or did not grant it to Chorus); sign in as someone who manages its Page`,
        409,
      );
    return { channelIds: [await renew(scope, env, channel.id, account)] };
  }

  if (accounts.length === 0)
    throw new DomainError(
      'facebook_no_pages',
      'The Facebook account that signed in manages no Page, or chose none on the consent screen; sign in again and select the Pages to connect',
      409,
    );
  const known = await scope
    .selectFrom('channel_accounts')
    .select(['id', 'network', 'remote_id'])
    .where('network', 'in', ['facebook', 'instagram'])
    .where(
      'remote_id',
      'in',
      accounts.map((a) => a.remoteId),
    )
    .execute();
  const channelIds: string[] = [];
  const problems: string[] = [];
  for (const account of accounts) {
    const label = account.network === 'facebook' ? 'Facebook' : 'Instagram';
    // Without CREATE_CONTENT the Page token cannot publish; Meta leaves `tasks` out for some business-owned Pages.
    if (account.page.tasks && !account.page.tasks.includes('CREATE_CONTENT')) {
      problems.push(`${account.name}: your role on the Page ${account.page.name} does not allow creating content`);
      continue;
    }
    const existing = known.find((row) => row.network === account.network && row.remote_id === account.remoteId);
    try {
      channelIds.push(
        existing
          ? await renew(scope, env, existing.id, account)
          : (await connectChannel(scope, env, { network: account.network, credentials: account.credentials })).id,
      );
    } catch (error) {
      problems.push(`${account.name}: ${oauthFailureMessage(label, error)}`);
    }
  }
  return { channelIds, ...(problems.length > 0 ? { error: `Not connected: ${problems.join('; ')}` } : {}) };
}

/** The paste form's shapes, signed with the operator's app secret; the Page token also serves its Instagram account. */
function metaAccounts(app: MetaApp, pages: ManagedPage[]): MetaAccount[] {
  const apiBase = app.apiBase ? { apiBase: app.apiBase } : {};
  return pages.flatMap((page): MetaAccount[] => {
    const instagram = page.instagram_business_account;
    return [
      {
        network: 'facebook',
        remoteId: page.id,
        name: `Page ${page.name}`,
        page,
        credentials: { pageId: page.id, pageAccessToken: page.access_token, appSecret: app.appSecret, ...apiBase },
      },
      ...(instagram
        ? [
            {
              network: 'instagram' as const,
              remoteId: instagram.id,
              name: `Instagram ${instagram.username ? `@${instagram.username}` : instagram.id}`,
              page,
              credentials: { igUserId: instagram.id, accessToken: page.access_token, appSecret: app.appSecret, ...apiBase },
            },
          ]
        : []),
    ];
  });
}

/** A new token for a channel the org has; a Page keeps the webhook verify token chosen when it was pasted. */
async function renew(scope: OrgScope, env: ChannelsEnvironment, channelId: string, account: MetaAccount): Promise<string> {
  const credentials = account.network === 'facebook' ? { ...account.credentials, ...(await webhookVerifyTokenOf(scope, env, channelId)) } : account.credentials;
  return (await reconnectChannel(scope, env, channelId, credentials)).id;
}

async function webhookVerifyTokenOf(scope: OrgScope, env: ChannelsEnvironment, channelId: string): Promise<{ webhookVerifyToken?: string }> {
  const row = await scope.selectFrom('channel_accounts').select(['id', 'credentials']).where('id', '=', channelId).executeTakeFirst();
  if (!row) return {};
  try {
    const stored = env.cipher.open(row.credentials, row.id) as { webhookVerifyToken?: unknown };
    return typeof stored.webhookVerifyToken === 'string' ? { webhookVerifyToken: stored.webhookVerifyToken } : {};
  } catch (error) {
    // Sealed under a rotated-away key: nothing to keep, the new token repairs the channel.
    if (error instanceof CredentialsUnreadable) return {};
    throw error;
  }
}
