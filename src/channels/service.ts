import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { SafeFetch } from '../lib/outbound-http/safe-fetch.js';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';
import {
  healthAfter,
  type AccountHealth,
  type ChannelConnector,
  type ConnectorFailure,
  type ConnectorResult,
  type Network,
  type ReadNote,
  type RemoteProfile,
  type SendingQuota,
  type StreamKind,
  type StreamPage,
  type StreamRequest,
} from './connector.js';
import { CredentialsUnreadable, type CredentialsCipher } from './credentials-cipher.js';
import type { PublicImages } from './public-images.js';
import { CONNECTORS, type NetworkEntry } from './registry.js';
import { endToShow, expiredTokenHealth } from './token-expiry.js';
import type { ChannelAccountsTable } from './tables.js';
import type { ChannelView } from '../../core/api/channels.js';

export type { ChannelView };

/** What the service needs from the server: the key that seals credentials, guarded outbound HTTP and the public image host. */
export interface ChannelsEnvironment {
  cipher: CredentialsCipher;
  fetch: SafeFetch;
  /** Null when this Chorus has no public address (CHORUS_PUBLIC_URL): Instagram, Threads and LINE then take no images. */
  publicImages: PublicImages | null;
}

type ChannelRow = Selectable<ChannelAccountsTable>;

/** Limits and streams come from the connector; nothing is asked of the network to present a row. */
async function present(scope: OrgScope, env: ChannelsEnvironment, row: ChannelRow): Promise<ChannelView> {
  const opened = await openConnector(scope, env, row);
  return {
    ...presentRow(row, scope.now()),
    textLimit: row.text_limit ?? (opened.ok ? opened.connector.measureText('').limit : null),
    streams: opened.ok ? [...opened.connector.capabilities.streams] : [],
  };
}

const presentRow = (row: ChannelRow, now: string) => ({
  id: row.id,
  network: row.network,
  displayName: row.display_name,
  handle: row.handle,
  remoteId: row.remote_id,
  profileUrl: row.profile_url,
  avatarUrl: row.avatar_url ?? null,
  health: (row.health_reason ? { status: row.health_status, reason: row.health_reason } : { status: row.health_status }) as AccountHealth,
  notes: row.read_notes ? (JSON.parse(row.read_notes) as ReadNote[]) : [],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastCheckedAt: row.last_checked_at,
  tokenExpiresAt: endToShow(row.token_expires_at, CONNECTORS[row.network]?.tokenExpiry?.renewedWithinMs, now),
});

/** The sealed credentials and what the list shows of them in the clear: written together, so they never disagree. */
function credentialColumns(env: ChannelsEnvironment, entry: NetworkEntry | undefined, credentials: unknown, channelId: string) {
  return { credentials: env.cipher.seal(credentials, channelId), token_expires_at: tokenEnd(entry, credentials) };
}

const tokenEnd = (entry: NetworkEntry | undefined, credentials: unknown): string | null => entry?.tokenExpiry?.of(credentials) ?? null;

/** A working channel's next breakage is news again (token-notices.ts tells admins once per breakage). */
const healedNotice = { reconnect_noticed_at: null };

/** Verified credentials work, but a token given with an end already past is expired all the same. */
function healthOnArrival(
  entry: NetworkEntry,
  credentials: unknown,
  now: string,
): Pick<ChannelRow, 'health_status' | 'health_reason'> & Partial<Pick<ChannelRow, 'reconnect_noticed_at'>> {
  const expired = expiredTokenHealth(tokenEnd(entry, credentials), new Date(now));
  return expired ? { health_status: expired.status, health_reason: expired.reason ?? null } : { health_status: 'ok', health_reason: null, ...healedNotice };
}

export async function listChannels(scope: OrgScope, env: ChannelsEnvironment): Promise<ChannelView[]> {
  const rows = await scope.selectFrom('channel_accounts').selectAll().orderBy('network').orderBy('display_name').execute();
  return Promise.all(rows.map((row) => present(scope, env, row)));
}

export async function getChannel(scope: OrgScope, env: ChannelsEnvironment, channelId: string): Promise<ChannelView> {
  return present(scope, env, await findRow(scope, channelId));
}

/** Verifies the credentials with the network first: nothing unverified is stored. */
/** The org's feed channel for a feed URL (a feed channel's remote id is its URL), if one is connected. */
export async function feedChannelId(scope: OrgScope, url: string): Promise<string | undefined> {
  return (await scope.selectFrom('channel_accounts').select('id').where('network', '=', 'feed').where('remote_id', '=', url).executeTakeFirst())?.id;
}

/** Every connected feed channel (all orgs) with its feed URL: for backfills of data stored before the URL was kept beside it. */
export async function feedChannelUrls(db: Kysely<Database>): Promise<{ id: string; url: string }[]> {
  const rows = await db.selectFrom('channel_accounts').select(['id', 'remote_id']).where('network', '=', 'feed').execute();
  return rows.map((r) => ({ id: r.id, url: r.remote_id }));
}

export async function connectChannel(scope: OrgScope, env: ChannelsEnvironment, input: { network: string; credentials: unknown }): Promise<ChannelView> {
  const entry = networkEntryFor(input.network);
  const network = input.network as Network;
  const id = newId();
  const { profile, credentials, textLimit } = await verifyCredentials(scope, env, network, entry, parseCredentials(network, entry, input.credentials));
  const duplicate = await scope
    .selectFrom('channel_accounts')
    .select('id')
    .where('network', '=', network)
    .where('remote_id', '=', profile.remoteId)
    .executeTakeFirst();
  if (duplicate) throw new DomainError('channel_already_connected', `${profile.displayName} (${profile.handle}) is already connected`, 409);
  const now = scope.now();
  const row = {
    id,
    network,
    ...profileColumns(profile),
    ...credentialColumns(env, entry, credentials, id),
    ...healthOnArrival(entry, credentials, scope.now()),
    created_by: scope.actor.userId,
    created_at: now,
    updated_at: now,
    last_checked_at: now,
    text_limit: textLimit,
    read_notes: null,
    token_end_noticed: null,
    reconnect_noticed_at: null,
  };
  // One transaction, answered from what was written: a connected channel never answers 5xx (a retry would connect it twice).
  await scope.transaction(async (tx) => {
    await tx.insertInto('channel_accounts', row);
    await tx.audit('channel.connected', { channelId: id, network, handle: profile.handle });
  });
  return present(scope, env, { ...row, org_id: scope.orgId });
}

/** Replaces the credentials of a channel (expired token, changed password) after verifying them. */
export async function reconnectChannel(scope: OrgScope, env: ChannelsEnvironment, channelId: string, rawCredentials: unknown): Promise<ChannelView> {
  const row = await findRow(scope, channelId);
  const entry = networkEntryFor(row.network);
  const { profile, credentials, textLimit } = await verifyCredentials(scope, env, row.network, entry, parseCredentials(row.network, entry, rawCredentials));
  if (profile.remoteId !== row.remote_id) {
    throw new DomainError('different_account', `These credentials belong to ${profile.handle}, not ${row.handle}; connect it as a new channel instead`, 409);
  }
  const now = scope.now();
  await scope
    .updateTable('channel_accounts')
    .set({
      ...profileColumns(profile),
      ...credentialColumns(env, entry, credentials, row.id),
      text_limit: textLimit,
      ...healthOnArrival(entry, credentials, scope.now()),
      updated_at: now,
      last_checked_at: now,
    })
    .where('id', '=', row.id)
    .execute();
  await scope.audit('channel.reconnected', { channelId: row.id, network: row.network });
  return getChannel(scope, env, row.id);
}

/**
 * Runs the connector's own health test (an expired token needs reconnecting even while the
 * network still accepts it) and records its verdict; a working channel's profile and limit are
 * then read again from the network.
 */
export async function checkChannel(scope: OrgScope, env: ChannelsEnvironment, channelId: string): Promise<ChannelView> {
  const row = await findRow(scope, channelId);
  const opened = await openConnector(scope, env, row);
  if (!opened.ok) {
    await recordHealth(scope, row.id, { status: 'needs_reconnect', reason: opened.reason });
    return getChannel(scope, env, row.id);
  }
  const health = await opened.connector.health();
  if (health.status !== 'ok') {
    await recordHealth(scope, row.id, health);
    return getChannel(scope, env, row.id);
  }
  const verified = await opened.connector.verify();
  if (verified.ok) {
    await scope
      .updateTable('channel_accounts')
      .set({ ...profileColumns(verified.value), text_limit: opened.connector.measureText('').limit })
      .where('id', '=', row.id)
      .execute();
    await recordHealth(scope, row.id, { status: 'ok' });
  } else {
    await recordHealth(scope, row.id, healthAfter(verified.failure));
  }
  return getChannel(scope, env, row.id);
}

export async function removeChannel(scope: OrgScope, channelId: string): Promise<void> {
  const row = await findRow(scope, channelId);
  await scope.deleteFrom('channel_accounts').where('id', '=', row.id).execute();
  await scope.audit('channel.removed', { channelId: row.id, network: row.network, handle: row.handle });
}

/** Reads one page of a stream through the channel's connector; failures also update its health. */
export async function readChannelStream(
  scope: OrgScope,
  env: ChannelsEnvironment,
  channelId: string,
  request: StreamRequest,
): Promise<ConnectorResult<StreamPage>> {
  const row = await findRow(scope, channelId);
  const opened = await openConnector(scope, env, row);
  if (!opened.ok) {
    await recordHealth(scope, row.id, { status: 'needs_reconnect', reason: opened.reason });
    return { ok: false, failure: { kind: 'auth', message: opened.reason } };
  }
  if (!opened.connector.capabilities.streams.includes(request.kind)) {
    throw new DomainError(
      'unsupported_stream',
      `A ${CONNECTORS[row.network]?.label ?? row.network} channel has no "${request.kind}" stream (it has: ${opened.connector.capabilities.streams.join(', ')})`,
      400,
    );
  }
  const result = await opened.connector.readStream(request);
  if (result.ok) {
    const notes = result.value.notes === undefined ? null : JSON.stringify(result.value.notes);
    if (notes !== null && notes !== (row.read_notes ?? '[]'))
      await scope.updateTable('channel_accounts').set({ read_notes: notes }).where('id', '=', row.id).execute();
    // Refreshed every few minutes while reads work, so the status page knows the network answers now.
    if (row.health_status !== 'ok' || isStale(row.last_checked_at, scope.now()))
      await recordHealth(scope, row.id, await healthAfterRead(opened.connector, row, scope.now()));
  } else if (result.failure.kind !== 'permanent' || result.failure.code !== 'bad_cursor') {
    await recordHealth(scope, row.id, healthAfter(result.failure));
  }
  return result;
}

/** The network's own cap on sending and how much of it is used (null: the network has none). */
export async function channelQuota(scope: OrgScope, env: ChannelsEnvironment, channelId: string): Promise<ConnectorResult<SendingQuota | null>> {
  const row = await findRow(scope, channelId);
  const opened = await openConnector(scope, env, row);
  if (!opened.ok) return { ok: false, failure: { kind: 'auth', message: opened.reason } };
  if (!opened.connector.quota) return { ok: true, value: null };
  return opened.connector.quota();
}

/** Builds the connector for a stored channel; used by streams, publishing and this service. */
export async function openConnector(
  scope: OrgScope,
  env: ChannelsEnvironment,
  row: ChannelRow,
): Promise<{ ok: true; connector: ChannelConnector } | { ok: false; reason: string }> {
  const entry = CONNECTORS[row.network];
  if (!entry) return { ok: false, reason: `This Chorus build has no ${row.network} connector` };
  let credentials: unknown;
  try {
    credentials = entry.credentials.parse(env.cipher.open(row.credentials, row.id));
  } catch (error) {
    return {
      ok: false,
      reason: error instanceof CredentialsUnreadable ? error.message : 'The stored credentials are no longer in a shape this connector accepts',
    };
  }
  // Channels connected before the column existed get their token's end the first time they are opened.
  const end = tokenEnd(entry, credentials);
  if (end !== row.token_expires_at) await scope.updateTable('channel_accounts').set({ token_expires_at: end }).where('id', '=', row.id).execute();
  const connector = await entry.create(credentials, {
    fetch: env.fetch,
    now: () => new Date(scope.now()),
    org: scope,
    channelId: row.id,
    publicImages: env.publicImages?.(scope) ?? null,
    // A refreshed token replaces the old one; a failed refresh never reaches here, so nothing is wiped.
    saveCredentials: async (next) => {
      await scope
        .updateTable('channel_accounts')
        .set({ ...credentialColumns(env, entry, next, row.id), updated_at: scope.now() })
        .where('id', '=', row.id)
        .execute();
    },
  });
  return { ok: true, connector };
}

const HEALTH_REFRESH_MS = 5 * 60_000;
const isStale = (checkedAt: string | null, now: string) => checkedAt === null || Date.parse(now) - Date.parse(checkedAt) > HEALTH_REFRESH_MS;

/** How often a working channel's reads also run the connector's own health test (one more network call, usually). */
const HEALTH_TEST_MS = 60 * 60_000;
/** Reads refresh `last_checked_at` every few minutes, so the first refresh in a new clock hour is the hourly one. */
const healthTestDue = (checkedAt: string | null, now: string) =>
  checkedAt === null || Math.floor(Date.parse(checkedAt) / HEALTH_TEST_MS) !== Math.floor(Date.parse(now) / HEALTH_TEST_MS);

/**
 * A working read says the credentials work, except that a token past its end is expired whatever
 * the network still accepts. Only networks whose tokens end have a health test that knows more
 * than the read; the others (a feed's test is a whole download) are not asked again.
 */
async function healthAfterRead(connector: ChannelConnector, row: ChannelRow, now: string): Promise<AccountHealth> {
  if (CONNECTORS[row.network]?.tokenExpiry && healthTestDue(row.last_checked_at, now)) return connector.health();
  return expiredTokenHealth(row.token_expires_at, new Date(now)) ?? { status: 'ok' };
}

/**
 * A network refused the channel's credentials outside a check (a publish): the channel shows
 * "needs reconnecting" at once, and the bell's channel notices (token-notices.ts) tell its
 * managers, instead of waiting for the next check or stream read to find out.
 */
export async function markNeedsReconnect(scope: OrgScope, channelId: string, reason: string): Promise<void> {
  await recordHealth(scope, channelId, { status: 'needs_reconnect', reason });
}

async function recordHealth(scope: OrgScope, channelId: string, health: AccountHealth): Promise<void> {
  await scope
    .updateTable('channel_accounts')
    .set({
      health_status: health.status,
      health_reason: health.reason ?? null,
      last_checked_at: scope.now(),
      ...(health.status === 'ok' ? healedNotice : {}),
    })
    .where('id', '=', channelId)
    .execute();
}

async function findRow(scope: OrgScope, channelId: string): Promise<ChannelRow> {
  const row = await scope.selectFrom('channel_accounts').selectAll().where('id', '=', channelId).executeTakeFirst();
  if (!row) throw new DomainError('channel_not_found', 'Channel not found', 404);
  return row;
}

function networkEntryFor(network: string): NetworkEntry {
  const entry = CONNECTORS[network as Network];
  if (!entry) throw new DomainError('unknown_network', `Chorus cannot connect "${network}" channels; it knows: ${Object.keys(CONNECTORS).join(', ')}`, 400);
  return entry;
}

function parseCredentials(network: Network, entry: NetworkEntry, raw: unknown): unknown {
  const parsed = entry.credentials.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  // Not `invalid_credentials`: that code means a failed sign-in to Chorus itself.
  throw new DomainError('invalid_channel_credentials', `Check the ${entry.label} details: ${problems.join('; ')}`, 400, { network, problems });
}

async function verifyCredentials(
  scope: OrgScope,
  env: ChannelsEnvironment,
  network: Network,
  entry: NetworkEntry,
  parsed: unknown,
): Promise<{ profile: RemoteProfile; credentials: unknown; textLimit: number }> {
  let credentials = parsed;
  const connector = await entry.create(parsed, {
    fetch: env.fetch,
    now: () => new Date(scope.now()),
    org: scope,
    channelId: null,
    publicImages: env.publicImages?.(scope) ?? null,
    // Verifying may already refresh a token: keep the newest for storing.
    saveCredentials: async (next) => {
      credentials = next;
    },
  });
  const verified = await connector.verify();
  if (!verified.ok) throw verificationFailed(network, entry, verified.failure);
  // Measured after verify: that is when a Mastodon connector has read its instance's limit.
  return { profile: verified.value, credentials, textLimit: connector.measureText('').limit };
}

/** Details let a client say what to do: reconnect (auth), wait (rate_limited, transient) or fix the input. */
function verificationFailed(network: Network, entry: NetworkEntry, failure: ConnectorFailure): DomainError {
  const retryAfterMs = failure.kind === 'rate_limited' || failure.kind === 'transient' ? failure.retryAfterMs : undefined;
  return new DomainError('channel_verification_failed', verificationMessage(entry, failure), 422, {
    network,
    failureKind: failure.kind,
    ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
    // What exactly the connector found (not_a_feed, feed_gone…), with its values: the web says it in the reader's language.
    ...(failure.kind === 'permanent' && failure.code ? { reason: failure.code, ...failure.params } : {}),
  });
}

function verificationMessage(entry: NetworkEntry, failure: ConnectorFailure): string {
  switch (failure.kind) {
    case 'auth':
      return `${entry.label} did not accept these credentials: ${failure.message}`;
    case 'rate_limited':
      return `${entry.label} asks us to wait before trying again (${Math.ceil(failure.retryAfterMs / 1000)} s): ${failure.message}`;
    case 'transient':
      return `${entry.label} could not be reached right now; try again in a moment (${failure.message})`;
    case 'permanent':
      return failure.message;
  }
}

function profileColumns(profile: RemoteProfile) {
  return {
    display_name: profile.displayName.slice(0, 300),
    handle: profile.handle.slice(0, 300),
    remote_id: profile.remoteId,
    profile_url: profile.profileUrl ?? null,
    avatar_url: profile.avatarUrl ?? null,
  };
}

/** The channel a network's webhook delivery names, across orgs (the delivery carries no session): its org and opened credentials. */
export async function channelForWebhook(
  db: Kysely<Database>,
  env: ChannelsEnvironment,
  network: Network,
  channelId: string,
): Promise<{ orgId: string; channelId: string; remoteId: string; credentials: unknown } | null> {
  const row = await db
    .selectFrom('channel_accounts')
    .select(['id', 'org_id', 'remote_id', 'credentials'])
    .where('id', '=', channelId)
    .where('network', '=', network)
    .executeTakeFirst();
  if (!row) return null;
  try {
    return { orgId: row.org_id, channelId: row.id, remoteId: row.remote_id, credentials: env.cipher.open(row.credentials, row.id) };
  } catch {
    return null;
  }
}

/** These accounts' credentials as stored, sealed, by account id, across orgs: a changed seal means the account was reconnected (channelForWebhook opens them). */
export async function sealedCredentialsOf(db: Kysely<Database>, channelIds: string[]): Promise<Map<string, string>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db.selectFrom('channel_accounts').select(['id', 'credentials']).where('id', 'in', channelIds).execute();
  return new Map(rows.map((row) => [row.id, row.credentials]));
}
