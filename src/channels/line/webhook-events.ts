import { z } from 'zod';

/**
 * The webhook body LINE documents (Messaging API reference, "Webhook Event Objects"). Only what
 * Chorus keeps is read; unknown event and message types pass through as their type alone, so a
 * new LINE feature never makes a delivery fail (LINE would redeliver it forever).
 */
const source = z.object({
  type: z.string(),
  userId: z.string().max(100).optional(),
  groupId: z.string().max(100).optional(),
  roomId: z.string().max(100).optional(),
});

const message = z.object({
  id: z.string().max(100),
  type: z.string().max(40),
  text: z.string().max(20_000).optional(),
  quoteToken: z.string().max(500).optional(),
  /** Sticker and file messages carry a few more fields; their presence is enough here. */
  fileName: z.string().max(500).optional(),
});

export const lineWebhookEvent = z.object({
  type: z.string().max(40),
  webhookEventId: z.string().min(1).max(100),
  timestamp: z.number().int().nonnegative(),
  mode: z.string().max(20).optional(),
  source: source.optional(),
  deliveryContext: z.object({ isRedelivery: z.boolean() }).optional(),
  message: message.optional(),
});

export const lineWebhookBody = z.object({
  /** The bot's own user id: the account the delivery is for. */
  destination: z.string().max(100),
  events: z.array(lineWebhookEvent).max(1000),
});

export type LineWebhookEvent = z.infer<typeof lineWebhookEvent>;
export type LineWebhookBody = z.infer<typeof lineWebhookBody>;

/** What a chat message says in a column: its text, or what kind of message it was. */
export function messageText(event: LineWebhookEvent): string {
  const m = event.message;
  if (!m) return '';
  if (m.type === 'text') return m.text ?? '';
  if (m.type === 'file' && m.fileName) return `[file: ${m.fileName}]`;
  return `[${m.type}]`;
}
