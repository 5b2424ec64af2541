import type { Kysely } from 'kysely';
import type { Clock } from '../../lib/clock.js';
import { isoNow } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Database } from '../../store/database.js';
import { CredentialsUnreadable } from '../credentials-cipher.js';
import { registerMastodonApp, type MastodonApp } from '../mastodon/oauth.js';
import type { ChannelsEnvironment } from '../service.js';

/**
 * Chorus's app on one instance for one callback address: registered on first use, then reused
 * by every org. Two orgs registering at once both succeed at the instance; the first row stored wins.
 */
export async function mastodonAppFor(
  db: Kysely<Database>,
  clock: Clock,
  env: ChannelsEnvironment,
  instanceUrl: string,
  redirectUri: string,
): Promise<MastodonApp> {
  const known = await find(db, env, instanceUrl, redirectUri);
  if (known) return known;
  const website = new URL(redirectUri).origin;
  const registered = await registerMastodonApp(instanceUrl, redirectUri, env.fetch, website);
  const id = newId();
  await db
    .insertInto('mastodon_apps')
    .values({
      id,
      instance_url: registered.instanceUrl,
      redirect_uri: redirectUri,
      client_id: registered.clientId,
      client_secret: env.cipher.seal(registered.clientSecret, id),
      created_at: isoNow(clock),
    })
    .onConflict((oc) => oc.columns(['instance_url', 'redirect_uri']).doNothing())
    .execute();
  return (await find(db, env, registered.instanceUrl, redirectUri)) ?? registered;
}

async function find(db: Kysely<Database>, env: ChannelsEnvironment, instanceUrl: string, redirectUri: string): Promise<MastodonApp | null> {
  const row = await db
    .selectFrom('mastodon_apps')
    .selectAll()
    .where('instance_url', '=', instanceUrl)
    .where('redirect_uri', '=', redirectUri)
    .executeTakeFirst();
  if (!row) return null;
  try {
    return { instanceUrl: row.instance_url, clientId: row.client_id, clientSecret: env.cipher.open(row.client_secret, row.id) as string };
  } catch (error) {
    if (!(error instanceof CredentialsUnreadable)) throw error;
    // Sealed under a secret key since rotated away: registering again costs one request.
    await db.deleteFrom('mastodon_apps').where('id', '=', row.id).execute();
    return null;
  }
}
