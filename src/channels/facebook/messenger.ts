import { z } from 'zod';
import type { ConnectorFailure, NormalizedItem, PublishedPost } from '../connector.js';
import type { OrgScope } from '../../teams/org-scope.js';
import { decodeChatCursor, encodeChatCursor, withPreviousFromSender } from '../chat-threads.js';
import type { GraphApi } from './api.js';
import type { MetaWebhookEventsTable } from './tables.js';

/**
 * Messenger conversations of a Page: people's messages arrive by webhook (stored in
 * meta_webhook_events with field `messages`) and are read back from that table as the Facebook
 * channel's `messages` stream; a reply goes out through the Send API to the person who wrote.
 */

/** Meta's standard messaging window: a Page may answer (messaging_type RESPONSE) within 24 hours of the person's last message. */
export const MESSENGER_WINDOW_MS = 24 * 60 * 60_000;

export interface MessengerPage {
  /** Newest first, each with the message its sender wrote before it (null for their first). */
  messages: { row: MetaWebhookEventsTable; previousMid: string | null }[];
  olderCursor: string | null;
}

/**
 * Messages people sent the Page, newest first, older than `before` when given. Each one names the
 * same person's message before it as the one it follows, so the inbox files a person's messages
 * into one conversation (a chat has no reply chain of its own).
 */
export async function listMessengerMessages(scope: OrgScope, channelId: string, options: { before?: string | null; limit: number }): Promise<MessengerPage> {
  const messages = () => scope.selectFrom('meta_webhook_events').selectAll().where('channel_id', '=', channelId).where('field', '=', 'messages');
  let query = messages()
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1);
  if (options.before) {
    const [at, id] = decodeChatCursor(options.before);
    query = query.where((eb) => eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const threaded = await withPreviousFromSender(
    page,
    (row) => row.from_id,
    (row) => row.object_id,
    async (row, sender) =>
      (
        await messages()
          .select('object_id')
          .where('from_id', '=', sender)
          .where((eb) => eb.or([eb('occurred_at', '<', row.occurred_at), eb.and([eb('occurred_at', '=', row.occurred_at), eb('id', '<', row.id)])]))
          .orderBy('occurred_at', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirst()
      )?.object_id ?? null,
  );
  const found: MessengerPage['messages'] = threaded.map(({ row, previousId }) => ({ row, previousMid: previousId }));
  return { messages: found, olderCursor: rows.length > options.limit ? encodeChatCursor(page.at(-1)!) : null };
}

export function messengerItem(row: MetaWebhookEventsTable, previousMid: string | null, profile: MessengerProfile | undefined): NormalizedItem {
  const psid = row.from_id ?? 'unknown';
  return {
    network: 'facebook',
    remoteId: row.object_id,
    url: null,
    // A page-scoped id is the one stable name Messenger gives a person (what the CRM matches on).
    author: { remoteId: psid, handle: psid, displayName: profile?.name ?? 'Messenger user', avatarUrl: profile?.picture ?? null, profileUrl: null },
    text: row.text,
    html: null,
    links: [...row.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
    media: [],
    replyToRemoteId: previousMid,
    quoteOfRemoteId: null,
    createdAt: row.occurred_at,
    language: null,
    metrics: null,
    isDirect: true,
  };
}

export interface MessengerProfile {
  name: string;
  picture: string | null;
}

const profileAnswer = z.object({ name: z.string().max(500), profile_pic: z.string().max(2000).optional() });
/** Names change rarely; an hour keeps a busy chat from asking Meta again on every poll. */
const PROFILE_TTL_MS = 60 * 60_000;
const MAX_PROFILES = 5000;
const profiles = new Map<string, { profile: MessengerProfile; until: number }>();

/**
 * Who wrote (GET /{psid}?fields=name,profile_pic), cached per channel for an hour. A person whose
 * profile Meta will not give (privacy, blocked, no permission) stays "Messenger user"; the read goes on.
 */
export async function messengerProfiles(api: GraphApi, channelId: string, psids: string[]): Promise<Map<string, MessengerProfile>> {
  const now = api.now().getTime();
  const found = new Map<string, MessengerProfile>();
  for (const psid of new Set(psids)) {
    const key = `${channelId}:${psid}`;
    const cached = profiles.get(key);
    if (cached && cached.until > now) {
      found.set(psid, cached.profile);
      continue;
    }
    let profile: MessengerProfile;
    try {
      const answer = profileAnswer.parse(await api.call({ path: encodeURIComponent(psid), query: { fields: 'name,profile_pic' } }));
      profile = { name: answer.name, picture: answer.profile_pic ?? null };
    } catch {
      continue;
    }
    if (profiles.size >= MAX_PROFILES) profiles.delete(profiles.keys().next().value!);
    profiles.set(key, { profile, until: now + PROFILE_TTL_MS });
    found.set(psid, profile);
  }
  return found;
}

/** The stored Messenger message with this mid, if it is one (a comment id is not). */
export async function messengerMessage(scope: OrgScope, channelId: string, mid: string): Promise<MetaWebhookEventsTable | undefined> {
  return scope
    .selectFrom('meta_webhook_events')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('field', '=', 'messages')
    .where('object_id', '=', mid)
    .executeTakeFirst();
}

/** When this person last wrote to the Page: the messaging window runs from there. */
export async function lastMessageFrom(scope: OrgScope, channelId: string, psid: string): Promise<string | null> {
  const row = await scope
    .selectFrom('meta_webhook_events')
    .select('occurred_at')
    .where('channel_id', '=', channelId)
    .where('field', '=', 'messages')
    .where('from_id', '=', psid)
    .orderBy('occurred_at', 'desc')
    .executeTakeFirst();
  return row?.occurred_at ?? null;
}

/** A Messenger text message holds at most 2 000 characters (Send API reference). */
export const MESSENGER_TEXT_LIMIT = 2000;

/** Why this reply cannot go out on Messenger, before any call: outside the 24-hour window, or too long. */
export function messengerRefusal(text: string, lastWroteAt: string, now: Date): ConnectorFailure | null {
  if (now.getTime() - Date.parse(lastWroteAt) > MESSENGER_WINDOW_MS)
    return {
      kind: 'permanent',
      code: 'messaging_window_closed',
      message: `Messenger lets a Page answer only within 24 hours of the person's last message (they last wrote at ${lastWroteAt}): answer in Meta Business Suite, or wait until they write again`,
      params: { lastWroteAt },
    };
  if (text.length > MESSENGER_TEXT_LIMIT)
    return { kind: 'permanent', code: 'text_too_long', message: `A Messenger message holds at most ${MESSENGER_TEXT_LIMIT} characters` };
  return null;
}

const sent = z.object({ message_id: z.string(), recipient_id: z.string().optional() });
const conversations = z.object({
  data: z.array(
    z.object({
      messages: z
        .object({
          data: z.array(z.object({ id: z.string(), message: z.string().default(''), created_time: z.string(), from: z.object({ id: z.string() }).optional() })),
        })
        .optional(),
    }),
  ),
});

/**
 * Sends `text` to the person (POST /{page-id}/messages, messaging_type RESPONSE). Messenger takes
 * no idempotency key: a send that may follow an earlier attempt first looks for a message from the
 * Page with the same text in this person's conversation since they last wrote (GET
 * /{page-id}/conversations?platform=messenger&user_id=…), as the comment reply does.
 */
export async function sendMessengerReply(
  api: GraphApi,
  request: { pageId: string; psid: string; text: string; lastWroteAt: string; attempt: number | undefined },
): Promise<PublishedPost> {
  if (request.attempt !== 1) {
    const answer = conversations.parse(
      await api.call({
        path: `${request.pageId}/conversations`,
        query: { platform: 'messenger', user_id: request.psid, fields: 'messages.limit(25){id,message,created_time,from}' },
      }),
    );
    for (const conversation of answer.data) {
      for (const message of conversation.messages?.data ?? []) {
        if (
          message.from?.id === request.pageId &&
          message.message.trim() === request.text &&
          Date.parse(message.created_time) >= Date.parse(request.lastWroteAt)
        )
          return { remoteId: message.id, url: null, alreadyExisted: true };
      }
    }
  }
  const answer = sent.parse(
    await api.call({
      method: 'POST',
      path: `${request.pageId}/messages`,
      json: { recipient: { id: request.psid }, messaging_type: 'RESPONSE', message: { text: request.text } },
    }),
  );
  return { remoteId: answer.message_id, url: null, alreadyExisted: false };
}
