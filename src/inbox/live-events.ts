import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { PresenceSignal } from '../../core/api/inbox.js';
import { BELL_TOPIC, BellPayload } from '../notifications/bell-signal.js';
import type { StreamListeners } from '../streams/live.js';
import type { OrgScope } from '../teams/org-scope.js';
import { CONVERSATION_TOPIC, ConversationSignal, PRESENCE_TOPIC } from './signals.js';

export const HEARTBEAT_MS = 15_000;

/**
 * The inbox's server-sent events for one member: `conversations` {conversationIds} when
 * conversations changed (the browser refetches what it shows), `presence` {conversationId,
 * userId, name, state, at} when a teammate views or types in one, and `bell` {} when this
 * member's notifications changed. Payloads from the relay are parsed, never passed on blind.
 */
export function openInboxEvents(request: FastifyRequest, reply: FastifyReply, scope: OrgScope, listeners: StreamListeners, log: FastifyBaseLogger): () => void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  raw.write('retry: 3000\n\n');
  let eventId = 0;
  const send = (event: string, data: unknown) => raw.write(`id: ${++eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const me = scope.actor.userId;
  const unsubscribe = listeners.subscribe(scope.orgId, (change) => {
    if (change.type !== 'relay') return;
    try {
      if (change.topic === CONVERSATION_TOPIC) send('conversations', ConversationSignal.parse(change.payload));
      else if (change.topic === PRESENCE_TOPIC) {
        const presence = PresenceSignal.parse(change.payload);
        if (presence.userId !== me) send('presence', presence);
      } else if (change.topic === BELL_TOPIC && BellPayload.parse(change.payload).userIds.includes(me)) send('bell', {});
    } catch (error) {
      log.warn({ err: error, topic: change.topic }, 'inbox event with an unexpected payload dropped');
    }
  });
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    raw.end();
  };
  request.raw.on('close', close);
  return close;
}
