import { z } from 'zod';
import { streamNotifier } from '../streams/live.js';
import type { Store } from '../store/store.js';

/** The live channel's topic telling members their unread notification count changed. */
export const BELL_TOPIC = 'bell';
export const BellPayload = z.object({ userIds: z.array(z.string()) });

/** Tells the open browsers of these members (any server process) to refresh their bell. */
export async function ringBells(store: Store, orgId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await streamNotifier(store).notify({ type: 'relay', orgId, topic: BELL_TOPIC, payload: { userIds } satisfies z.infer<typeof BellPayload> });
}
