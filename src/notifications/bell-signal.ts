import { z } from 'zod';
import type { Store } from '../store/store.js';

/** The live channel's topic telling members their unread notification count changed. */
export const BELL_TOPIC = 'bell';
export const BellPayload = z.object({ userIds: z.array(z.string()) });

/** Sends a topic's news to the open browsers of an org, in any server process. */
export type LiveRelay = (store: Store, news: { orgId: string; topic: string; payload: unknown }) => Promise<void>;

// Streams' live bus carries the news; it sits above this module, so the assembly binds it
// (src/app/module-ports.ts) rather than this file importing it.
let relay: LiveRelay | null = null;

export function relayBellsWith(send: LiveRelay): void {
  relay = send;
}

/** Tells the open browsers of these members (any server process) to refresh their bell. */
export async function ringBells(store: Store, orgId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  if (!relay) throw new Error('notifications: nothing relays the bell; import src/app/module-ports.ts in the entry point');
  await relay(store, { orgId, topic: BELL_TOPIC, payload: { userIds } satisfies z.infer<typeof BellPayload> });
}
