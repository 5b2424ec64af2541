import { errorAnswers, NoBody, TextBody } from '../../core/api/errors.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConversationAnswer,
  ConversationDetail,
  ConversationFilters,
  ConversationMessageView,
  ConversationPage,
  ConversationStatus,
  InboxSettingsView,
  InboxViewList,
  InboxViewView,
  PresenceState,
  ReplyAnswer,
} from '../../core/api/inbox.js';
import { userSummaries } from '../accounts/users.js';
import { scopeOf } from '../http/org-scoped.js';
import { ringBells } from '../notifications/bell-signal.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { StreamListeners, StreamNotifier } from '../streams/live.js';
import type { OrgScope } from '../teams/org-scope.js';
import { linkContact } from './collect.js';
import { openInboxEvents } from './live-events.js';
import type { RepliesToPosts } from './post-replies.js';
import { actOnMessage, replyToConversation } from './replies.js';
import { changeConversation, conversationDetail, conversationRow, conversationView, deleteView, listConversations, listViews, saveView } from './service.js';
import { inboxSettings, setInboxSettings } from './settings.js';
import { conversationsChanged, presenceChanged } from './signals.js';

const tags = ['inbox'];
const Id = z.string().min(1).max(100);
const ConversationParams = z.strictObject({ orgId: z.string(), conversationId: Id });
const MessageParams = z.strictObject({ orgId: z.string(), conversationId: Id, messageId: Id });
const ViewParams = z.strictObject({ orgId: z.string(), viewId: Id });
const ListQuery = ConversationFilters.extend({
  /** Only conversations a reply to one of this campaign's posts opened, within its dates (the campaign report's count). */
  campaignId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().min(1).max(400).optional(),
});
const TagList = z.array(z.string().trim().min(1).max(50)).max(20);
const ChangeBody = z.strictObject({ status: ConversationStatus.optional(), assigneeUserId: Id.nullable().optional(), tags: TagList.optional() });
const ReplyBody = z.strictObject({ text: z.string().trim().min(1).max(10_000), confirm: z.boolean().optional() });
const ActionBody = z.strictObject({ action: z.enum(['like', 'repost']) });
const PresenceBody = z.strictObject({ state: PresenceState });
const SettingsBody = z.strictObject({
  slaMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .nullable()
    .optional(),
  autoContacts: z.enum(['first_conversation', 'manual']).optional(),
});
const NewViewBody = z.strictObject({ name: z.string().trim().min(1).max(100), filters: ConversationFilters, notify: z.boolean().optional() });
const ContactAnswer = z.object({ conversation: ConversationAnswer.shape.conversation });

export interface InboxRouteOptions {
  directory: ChannelDirectory;
  listeners: StreamListeners;
  /** Tells open boards that a message's item was liked or reposted here. */
  notifier: StreamNotifier;
  /** A campaign's published posts and dates (404 campaign_not_found), from campaigns, passed in by the assembly: campaigns imports the inbox. */
  campaignReplies: (scope: OrgScope, campaignId: string) => Promise<RepliesToPosts>;
}

/** Conversations, replies, saved views, SLA settings, presence and live events; under /api/orgs/:orgId. */
export function inboxRoutes(options: InboxRouteOptions) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const store = fastify.store;
    const openEvents = new Set<() => void>();
    fastify.addHook('onClose', async () => {
      for (const close of openEvents) close();
    });

    app.get(
      '/conversations',
      {
        config: { permission: 'inbox.read' },
        schema: {
          tags,
          summary: 'Conversations, newest activity first; filter by status, assignee (me, unassigned, a user id), network, channel, tag, campaign',
          querystring: ListQuery,
          response: { 200: ConversationPage, ...errorAnswers },
        },
      },
      async (request) => {
        const { limit, before, campaignId, ...filters } = request.query;
        const scope = scopeOf(request);
        const openedOn = campaignId === undefined ? undefined : await options.campaignReplies(scope, campaignId);
        return listConversations(scope, { ...filters, limit, before, openedOn });
      },
    );

    app.get(
      '/conversations/:conversationId',
      {
        config: { permission: 'inbox.read' },
        schema: {
          tags,
          summary: 'A conversation and its messages, oldest first',
          params: ConversationParams,
          response: { 200: ConversationDetail, ...errorAnswers },
        },
      },
      async (request) => conversationDetail(scopeOf(request), request.params.conversationId),
    );

    app.patch(
      '/conversations/:conversationId',
      {
        config: { permission: 'inbox.write' },
        schema: {
          tags,
          summary: 'Change status (open, pending, closed), assignee or tags',
          params: ConversationParams,
          body: ChangeBody,
          response: { 200: ConversationAnswer, ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        const { conversation, toldUserIds } = await changeConversation(scope, request.params.conversationId, request.body);
        await ringBells(store, scope.orgId, toldUserIds);
        await conversationsChanged(store, scope.orgId, [conversation.id]);
        return { conversation };
      },
    );

    app.post(
      '/conversations/:conversationId/replies',
      {
        config: { permission: 'inbox.write', idempotent: true },
        schema: {
          tags,
          summary:
            "Reply to the person's newest message through the conversation's account; 409 conversation_already_answered when a teammate answered meanwhile, unless confirm is true",
          params: ConversationParams,
          body: ReplyBody,
          response: { 201: ReplyAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => {
        const scope = scopeOf(request);
        const answer = await replyToConversation(scope, options.directory, request.params.conversationId, request.body);
        await conversationsChanged(store, scope.orgId, [answer.conversation.id]);
        return reply.status(201).send(answer);
      },
    );

    app.post(
      '/conversations/:conversationId/messages/:messageId/actions',
      {
        config: { permission: 'inbox.write' },
        schema: {
          tags,
          summary: "Like or repost one of the person's messages; the message shows it afterwards",
          params: MessageParams,
          body: ActionBody,
          response: { 200: z.object({ message: ConversationMessageView }), ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        const message = await actOnMessage(scope, options.directory, request.params.conversationId, request.params.messageId, request.body.action);
        if (message.itemId) await options.notifier.notify({ type: 'reactions', orgId: scope.orgId, itemIds: [message.itemId] });
        return { message };
      },
    );

    app.post(
      '/conversations/:conversationId/contact',
      {
        config: { permission: 'contacts.write' },
        schema: {
          tags,
          summary: "Make (or find) the CRM contact of the conversation's author and link it",
          params: ConversationParams,
          response: { 200: ContactAnswer, ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        await conversationRow(scope, request.params.conversationId);
        const first = await scope
          .selectFrom('conversation_messages')
          .select('item_id')
          .where('conversation_id', '=', request.params.conversationId)
          .where('item_id', 'is not', null)
          .orderBy('created_at')
          .executeTakeFirst();
        if (first?.item_id) await linkContact(scope, request.params.conversationId, first.item_id);
        return { conversation: await conversationView(scope, request.params.conversationId) };
      },
    );

    app.post(
      '/conversations/:conversationId/presence',
      {
        config: { permission: 'inbox.read' },
        schema: {
          tags,
          summary: 'Tell teammates you are viewing or replying to a conversation (send every 10 s; away when you leave)',
          params: ConversationParams,
          body: PresenceBody,
          response: { 204: NoBody, ...errorAnswers },
        },
      },
      async (request, reply) => {
        const scope = scopeOf(request);
        await conversationRow(scope, request.params.conversationId);
        const user = (await userSummaries(scope.shared, [scope.actor.userId])).get(scope.actor.userId);
        await presenceChanged(store, scope.orgId, {
          conversationId: request.params.conversationId,
          userId: scope.actor.userId,
          name: user?.name ?? '',
          state: request.body.state,
          at: scope.now(),
        });
        return reply.status(204).send();
      },
    );

    app.get(
      '/inbox/events',
      {
        config: { permission: 'org.read' },
        schema: { tags, summary: 'Live inbox events (SSE): conversations, presence, bell', response: { 200: TextBody, ...errorAnswers } },
      },
      async (request, reply) => {
        const close = openInboxEvents(request, reply, scopeOf(request), options.listeners, request.log);
        openEvents.add(close);
        request.raw.on('close', () => openEvents.delete(close));
      },
    );

    app.get(
      '/inbox/settings',
      {
        config: { permission: 'inbox.read' },
        schema: { tags, summary: "The org's response time target (SLA) and automatic contacts", response: { 200: InboxSettingsView, ...errorAnswers } },
      },
      async (request) => inboxSettings(scopeOf(request)),
    );

    app.patch(
      '/inbox/settings',
      {
        config: { permission: 'inbox.manage' },
        schema: {
          tags,
          summary: 'Set the SLA (minutes to first response, null for none) and whether contacts are made automatically',
          body: SettingsBody,
          response: { 200: InboxSettingsView, ...errorAnswers },
        },
      },
      async (request) => setInboxSettings(scopeOf(request), request.body),
    );

    app.get(
      '/inbox/views',
      { config: { permission: 'inbox.read' }, schema: { tags, summary: 'Your saved inbox views', response: { 200: InboxViewList, ...errorAnswers } } },
      async (request) => ({ views: await listViews(scopeOf(request)) }),
    );

    app.post(
      '/inbox/views',
      {
        config: { permission: 'inbox.read', idempotent: true },
        schema: {
          tags,
          summary: 'Save a view (notify: ring your bell for new conversations in it)',
          body: NewViewBody,
          response: { 201: z.object({ view: InboxViewView }), ...errorAnswers },
        },
      },
      async (request, reply) => reply.status(201).send({ view: await saveView(scopeOf(request), request.body) }),
    );

    app.delete(
      '/inbox/views/:viewId',
      {
        config: { permission: 'inbox.read' },
        schema: { tags, summary: 'Delete one of your saved views', params: ViewParams, response: { 204: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        await deleteView(scopeOf(request), request.params.viewId);
        return reply.status(204).send();
      },
    );
  };
}
