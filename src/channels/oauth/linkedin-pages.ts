import { DomainError } from '../../lib/domain-error.js';
import type { OrgScope } from '../../teams/org-scope.js';
import type { LinkedinCredentials } from '../linkedin/credentials.js';
import { exchangeLinkedinCode, linkedinAdministeredPages, type LinkedinApp } from '../linkedin/oauth.js';
import { connectChannel, getChannel, reconnectChannel, type ChannelsEnvironment } from '../service.js';
import { oauthFailureMessage } from './failure-message.js';

const organizationUrn = (organizationId: string) => `urn:li:organization:${organizationId}`;

/**
 * A member's sign-in connects every page they administer that the org has not connected yet
 * (one click for a business with a page per shop; a page not wanted is removed like any
 * channel). Reconnecting a channel renews that page only, and only for one of its administrators.
 * Pages connected before stay as they are. Each page is verified and stored like a pasted one;
 * a page that fails does not stop the others, and its reason comes back in `error`.
 */
export async function connectLinkedinPages(
  scope: OrgScope,
  env: ChannelsEnvironment,
  app: LinkedinApp | null,
  flow: { code: string; redirectUri: string; channelId: string | null },
): Promise<{ channelIds: string[]; error?: string }> {
  // The app is read again at the callback: an operator may have removed it in between.
  if (!app)
    throw new DomainError('linkedin_oauth_not_configured', 'Signing in with LinkedIn is no longer set up on this Chorus (CHORUS_LINKEDIN_CLIENT_ID)', 409);
  const tokens = await exchangeLinkedinCode(app, { code: flow.code, redirectUri: flow.redirectUri }, env.fetch, new Date(scope.now()));
  const administered = await linkedinAdministeredPages(app, tokens.accessToken, env.fetch);
  // The shape of the paste form, with the app's client so the connector renews the token itself.
  const credentialsFor = (organizationId: string): LinkedinCredentials => ({
    organizationId,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    expiresAt: tokens.expiresAt,
    ...(app.apiBase ? { apiBase: app.apiBase } : {}),
    ...(app.authBase ? { authBase: app.authBase } : {}),
  });

  if (flow.channelId) {
    const channel = await getChannel(scope, env, flow.channelId);
    const organizationId = administered.find((id) => organizationUrn(id) === channel.remoteId);
    if (!organizationId)
      throw new DomainError(
        'linkedin_page_not_administered',
        `The LinkedIn member who signed in is not an administrator of ${channel.displayName}; sign in as one of its administrators`,
        409,
      );
    return { channelIds: [(await reconnectChannel(scope, env, channel.id, credentialsFor(organizationId))).id] };
  }

  if (administered.length === 0)
    throw new DomainError(
      'linkedin_no_pages',
      'The LinkedIn member who signed in administers no page (LinkedIn must list them as an approved ADMINISTRATOR)',
      409,
    );
  const known = await scope
    .selectFrom('channel_accounts')
    .select('remote_id')
    .where('network', '=', 'linkedin')
    .where(
      'remote_id',
      'in',
      administered.map((id) => organizationUrn(id)),
    )
    .execute();
  const connected = new Set(known.map((row) => row.remote_id));
  const fresh = administered.filter((id) => !connected.has(organizationUrn(id)));
  if (fresh.length === 0) throw new DomainError('channel_already_connected', 'Every LinkedIn page this member administers is already connected', 409);

  const channelIds: string[] = [];
  const problems: string[] = [];
  for (const organizationId of fresh) {
    try {
      channelIds.push((await connectChannel(scope, env, { network: 'linkedin', credentials: credentialsFor(organizationId) })).id);
    } catch (error) {
      problems.push(`page ${organizationId}: ${oauthFailureMessage('LinkedIn', error)}`);
    }
  }
  return { channelIds, ...(problems.length > 0 ? { error: `Not connected: ${problems.join('; ')}` } : {}) };
}
