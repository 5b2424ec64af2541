import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { proxyItemImages } from '../../api/image-proxy.js';
import { streamEventsUrl, type ItemEvent, type MetricsEvent, type ReactionsEvent, type UnreadEvent } from '../../api/streams.js';
import { insertItem, refreshPagesHolding, setMetrics, setUnread } from './stream-queries.js';

/**
 * Items that arrived live and unread, and the reader has not looked at yet, per column: they carry the
 * unread marker and make up the column's "N new" pill until the reader jumps to them.
 */
class ArrivalLog {
  private byColumn = new Map<string, string[]>();
  private listeners = new Set<() => void>();
  private static readonly NONE: string[] = [];

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  of = (columnId: string): string[] => this.byColumn.get(columnId) ?? ArrivalLog.NONE;
  add(columnId: string, itemId: string): void {
    this.byColumn.set(columnId, [itemId, ...this.of(columnId)]);
    this.emit();
  }
  clear(columnId: string): void {
    if (!this.byColumn.has(columnId)) return;
    this.byColumn.delete(columnId);
    this.emit();
  }
  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const arrivals = new ArrivalLog();

export const useArrivals = (columnId: string): string[] => useSyncExternalStore(arrivals.subscribe, () => arrivals.of(columnId));

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const MAX_BACKOFF_MS = 30_000;

/**
 * One EventSource per open Streams page (cookie-authenticated). New items go on top of the
 * columns they belong to; unread counts, and the likes, reposts and replies of shown items, follow
 * the server. On error the connection is rebuilt with backoff, and columns reload once it is back,
 * so nothing sent in the gap is missed.
 */
export function useStreamEvents(orgId: string): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const connect = () => {
      source = new EventSource(streamEventsUrl(orgId), { withCredentials: true });
      source.addEventListener('open', () => {
        if (failures > 0) void client.invalidateQueries({ queryKey: ['org', orgId, 'column-items'] });
        failures = 0;
        setState('live');
      });
      source.addEventListener('item', (event) => {
        const data = parse<ItemEvent>(event);
        if (!data?.item || !Array.isArray(data.columnIds)) return;
        const item = proxyItemImages(orgId, data.item, data.imageSignatures);
        for (const columnId of data.columnIds) {
          // An item that arrives read (the backlog of a column just added) takes its place without looking new.
          if (insertItem(client, orgId, columnId, item) && !item.read) arrivals.add(columnId, item.id);
        }
      });
      source.addEventListener('unread', (event) => {
        const data = parse<UnreadEvent>(event);
        if (data && typeof data.columnId === 'string' && typeof data.unread === 'number') setUnread(client, orgId, data.columnId, data.unread);
      });
      source.addEventListener('metrics', (event) => {
        const data = parse<MetricsEvent>(event);
        if (Array.isArray(data?.items)) setMetrics(client, orgId, data.items);
      });
      source.addEventListener('reactions', (event) => {
        const data = parse<ReactionsEvent>(event);
        if (Array.isArray(data?.itemIds)) refreshPagesHolding(client, orgId, data.itemIds);
      });
      source.addEventListener('error', () => {
        source?.close();
        if (stopped) return;
        failures += 1;
        setState('reconnecting');
        timer = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 5)));
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [client, orgId]);
  return state;
}

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}
