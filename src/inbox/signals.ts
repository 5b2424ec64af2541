import { z } from 'zod';
import { PresenceSignal } from '../../core/api/inbox.js';
import { streamNotifier } from '../streams/live.js';
import type { Store } from '../store/store.js';

/** The inbox's news on the org's live channel (streams/live.ts relays it between server processes). */
export const CONVERSATION_TOPIC = 'inbox.conversation';
export const PRESENCE_TOPIC = 'inbox.presence';

export const ConversationSignal = z.object({ conversationIds: z.array(z.string()) });

export async function conversationsChanged(store: Store, orgId: string, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await streamNotifier(store).notify({
    type: 'relay',
    orgId,
    topic: CONVERSATION_TOPIC,
    payload: { conversationIds } satisfies z.infer<typeof ConversationSignal>,
  });
}

export async function presenceChanged(store: Store, orgId: string, presence: PresenceSignal): Promise<void> {
  await streamNotifier(store).notify({ type: 'relay', orgId, topic: PRESENCE_TOPIC, payload: PresenceSignal.parse(presence) });
}
