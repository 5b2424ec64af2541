/**
 * Mastodon's streaming API (docs.joinmastodon.org/methods/streaming/): a WebSocket on which the
 * instance pushes events as text frames `{"event": "...", "payload": "<JSON string>"}`. Chorus
 * subscribes to `user:notification` only and reads no more of a notification than its id and type:
 * the event is a signal, the item itself is read by the poll (one ingest path, one dedupe).
 * Everything read is untrusted: a frame that does not parse is skipped, never thrown.
 */
import { z } from 'zod';
import type { AddressPolicy } from '../../lib/outbound-http/address-policy.js';
import { guardedWebSocket } from '../../lib/outbound-http/guarded-websocket.js';
import type { StreamKind } from '../connector.js';
import { NOTIFICATION_TYPES } from './connector.js';
import type { ParsedMastodonCredentials } from './credentials.js';

/** A notification as the stream announces it. */
export interface StreamedNotification {
  id: string;
  /** mention, status, quote, favourite, reblog, follow… */
  type: string;
}

export interface MastodonStreamHandlers {
  onOpen(): void;
  onNotification(notification: StreamedNotification): void;
  onClose(reason: string): void;
}

export interface MastodonStreamConnection {
  close(): void;
}

const frame = z.object({ event: z.string(), payload: z.string().optional() });
const notificationPayload = z.object({ id: z.string().min(1), type: z.string().min(1) });

/** One text frame: a notification, or null for anything else (other events, damaged frames). */
export function readStreamingFrame(data: unknown): StreamedNotification | null {
  if (typeof data !== 'string') return null;
  const event = frame.safeParse(parseJson(data));
  if (!event.success || event.data.event !== 'notification' || event.data.payload === undefined) return null;
  const notification = notificationPayload.safeParse(parseJson(event.data.payload));
  return notification.success ? { id: notification.data.id, type: notification.data.type } : null;
}

/** The streams a notification of this type brings an item to, as the connector reads them. */
export function streamKindsOf(type: string): StreamKind[] {
  if (type === 'mention') return ['mentions', 'notifications'];
  return NOTIFICATION_TYPES.includes(type) ? ['notifications'] : [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const instanceV2 = z.object({ configuration: z.object({ urls: z.object({ streaming: z.string() }) }) });
const instanceV1 = z.object({ urls: z.object({ streaming_api: z.string() }) });

/**
 * Where the instance streams: `GET /api/v2/instance` → `configuration.urls.streaming`, else v1's
 * `urls.streaming_api`, else the instance itself (Mastodon serves both from one host by default).
 */
export async function streamingBase(instanceUrl: string, fetch: typeof globalThis.fetch): Promise<URL> {
  for (const [path, read] of [
    ['/api/v2/instance', (body: unknown) => instanceV2.safeParse(body).data?.configuration.urls.streaming],
    ['/api/v1/instance', (body: unknown) => instanceV1.safeParse(body).data?.urls.streaming_api],
  ] as const) {
    const answer = await fetch(new URL(path, instanceUrl)).catch(() => null);
    const body: unknown = answer?.ok ? await answer.json().catch(() => null) : null;
    const named = webSocketUrl(read(body));
    if (named) return named;
  }
  return webSocketUrl(instanceUrl)!;
}

function webSocketUrl(raw: string | undefined): URL | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    const protocol = { 'https:': 'wss:', 'http:': 'ws:', 'wss:': 'wss:', 'ws:': 'ws:' }[url.protocol];
    if (!protocol) return null;
    return new URL(`${protocol}//${url.host}`);
  } catch {
    return null;
  }
}

/**
 * Opens one connection to the account's notifications; the caller reconnects. The token goes in
 * the Authorization header (which the streaming server accepts like `access_token`), so it never
 * sits in a URL that proxies log.
 */
export function openMastodonStream(
  base: URL,
  credentials: ParsedMastodonCredentials,
  policy: AddressPolicy,
  handlers: MastodonStreamHandlers,
): MastodonStreamConnection {
  const url = new URL('/api/v1/streaming', base);
  url.searchParams.set('stream', 'user:notification');
  let closed = false;
  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    handlers.onClose(reason);
  };
  const opened = guardedWebSocket(url, policy, { authorization: `Bearer ${credentials.accessToken}` });
  if ('refused' in opened) {
    // Told on the next turn, as a failed connection would be: the caller's state is set by then.
    queueMicrotask(() => close(opened.refused));
    return { close: () => void (closed = true) };
  }
  const { socket, release } = opened;
  socket.addEventListener('open', () => handlers.onOpen());
  socket.addEventListener('message', (event) => {
    const notification = readStreamingFrame(event.data);
    if (notification) handlers.onNotification(notification);
  });
  socket.addEventListener('error', () => close('connection error'));
  socket.addEventListener('close', (event) => {
    release();
    close(`closed (${event.code})`);
  });
  return {
    close() {
      closed = true;
      socket.close();
    },
  };
}
