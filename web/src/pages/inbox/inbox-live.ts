import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { inboxEventsUrl, sendPresence, type PresenceSignal, type PresenceState } from '../../api/inbox.js';
import { notificationsKey } from '../notifications/notification-queries.js';
import { inboxKey } from './inbox-queries.js';

/** How often an open conversation tells teammates "still here", and when silence means gone. */
export const PRESENCE_EVERY_MS = 10_000;
const PRESENCE_FORGOTTEN_MS = 25_000;

/** Teammates on each conversation, as last heard over the live events; entries fade without a heartbeat. */
class PresenceBoard {
  private byConversation = new Map<string, Map<string, PresenceSignal & { heardAt: number }>>();
  private listeners = new Set<() => void>();
  private snapshots = new Map<string, PresenceSignal[]>();
  private static readonly NONE: PresenceSignal[] = [];

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  of = (conversationId: string): PresenceSignal[] => this.snapshots.get(conversationId) ?? PresenceBoard.NONE;
  hear(signal: PresenceSignal): void {
    const people = this.byConversation.get(signal.conversationId) ?? new Map();
    if (signal.state === 'away') people.delete(signal.userId);
    else people.set(signal.userId, { ...signal, heardAt: Date.now() });
    this.byConversation.set(signal.conversationId, people);
    this.publish(signal.conversationId);
  }
  forgetSilent(): void {
    const cutoff = Date.now() - PRESENCE_FORGOTTEN_MS;
    for (const [conversationId, people] of this.byConversation) {
      const before = people.size;
      for (const [userId, entry] of people) if (entry.heardAt < cutoff) people.delete(userId);
      if (people.size !== before) this.publish(conversationId);
    }
  }
  private publish(conversationId: string): void {
    this.snapshots.set(conversationId, [...(this.byConversation.get(conversationId)?.values() ?? [])]);
    for (const listener of this.listeners) listener();
  }
}

const presence = new PresenceBoard();

/** The teammates viewing or replying to a conversation right now (never the reader). */
export const usePresence = (conversationId: string): PresenceSignal[] => useSyncExternalStore(presence.subscribe, () => presence.of(conversationId));

/** Says the reader is on a conversation (viewing or replying) every few seconds while it is open, and away when it closes. */
export function useAnnouncePresence(orgId: string, conversationId: string | null, state: PresenceState): void {
  useEffect(() => {
    if (!conversationId) return;
    const announce = (now: PresenceState) => void sendPresence(orgId, conversationId, now).catch(() => {});
    announce(state);
    const timer = setInterval(() => announce(state), PRESENCE_EVERY_MS);
    return () => {
      clearInterval(timer);
      announce('away');
    };
  }, [orgId, conversationId, state]);
}

const MAX_BACKOFF_MS = 30_000;

/**
 * One EventSource per signed-in org tab (opened by the bell): the bell's unread count, the inbox's
 * lists and presence follow the server live. After a dropped connection everything is read again.
 */
export function useInboxEvents(orgId: string): void {
  const client = useQueryClient();
  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const refreshInbox = () => void client.invalidateQueries({ queryKey: inboxKey(orgId) });
    const refreshBell = () => void client.invalidateQueries({ queryKey: notificationsKey(orgId) });
    const connect = () => {
      source = new EventSource(inboxEventsUrl(orgId), { withCredentials: true });
      source.addEventListener('open', () => {
        if (failures > 0) {
          refreshInbox();
          refreshBell();
        }
        failures = 0;
      });
      source.addEventListener('conversations', refreshInbox);
      source.addEventListener('bell', refreshBell);
      source.addEventListener('presence', (event) => {
        const signal = parse<PresenceSignal>(event);
        if (signal && typeof signal.conversationId === 'string' && typeof signal.userId === 'string') presence.hear(signal);
      });
      source.addEventListener('error', () => {
        source?.close();
        if (stopped) return;
        failures += 1;
        timer = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 5)));
      });
    };
    connect();
    const fading = setInterval(() => presence.forgetSilent(), 5_000);
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(fading);
      source?.close();
    };
  }, [client, orgId]);
}

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}
