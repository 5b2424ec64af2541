/**
 * Property tests for the Meta webhook parsers (Page feed comments, Messenger messages, Instagram
 * comments and mentions): whatever a signed delivery holds, they never throw, keep only events
 * for the channel's own id and never the account's own words, and keep what a person wrote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaWebhookBody, newComments, newMessengerMessages, newPageMentions, type MetaWebhookBody } from '../../src/channels/facebook/webhook-events.js';
import { newInstagramEvents } from '../../src/channels/instagram/webhook-events.js';

const OWN = '104857600123456';
const ids = fc.oneof(fc.constant(OWN), fc.constantFrom('7100000000000001', '9002'), fc.string({ maxLength: 20 }));
const messaging = fc.record(
  {
    sender: fc.record({ id: ids }),
    recipient: fc.record({ id: ids }),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double()),
    message: fc.record(
      {
        mid: fc.string({ maxLength: 30 }),
        text: fc.string({ maxLength: 50 }),
        is_echo: fc.boolean(),
        attachments: fc.array(fc.record({ type: fc.constantFrom('image', 'video', 'file', 'fallback') }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    read: fc.record({ watermark: fc.integer() }),
  },
  { requiredKeys: [] },
);
const change = fc.oneof(
  fc.record({
    field: fc.constantFrom('feed', 'mention', 'comments', 'mentions', 'messages', 'other'),
    value: fc.oneof(
      fc.anything(),
      fc.record({
        item: fc.constantFrom('comment', 'post', 'reaction'),
        post_id: fc.string({ maxLength: 30 }),
        sender_id: ids,
        verb: fc.constantFrom('add', 'edited', 'remove'),
        comment_id: fc.string({ maxLength: 30 }),
        from: fc.record({ id: ids, name: fc.string({ maxLength: 10 }), username: fc.string({ maxLength: 10 }) }),
        message: fc.string({ maxLength: 50 }),
        created_time: fc.oneof(fc.integer(), fc.string({ maxLength: 30 })),
      }),
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 30 }),
        text: fc.string({ maxLength: 50 }),
        from: fc.record({ id: ids }),
        media: fc.record({ id: fc.string({ maxLength: 10 }) }),
      }),
      fc.record({ media_id: fc.string({ maxLength: 20 }), comment_id: fc.string({ maxLength: 20 }) }, { requiredKeys: ['media_id'] }),
    ),
  }),
  fc.anything(),
);
const delivery = fc.record({
  object: fc.constantFrom('page', 'instagram', 'user'),
  entry: fc.array(
    fc.record(
      {
        id: ids,
        time: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.double()),
        changes: fc.array(change, { maxLength: 4 }),
        messaging: fc.array(fc.oneof(messaging, fc.anything()), { maxLength: 4 }),
      },
      { requiredKeys: ['id'] },
    ),
    { maxLength: 3 },
  ),
});

const parsers = [newComments, newPageMentions, newMessengerMessages, newInstagramEvents];

describe('Meta webhook parsers', () => {
  it('never throw, keep only events for the own id and not from it, with valid times and one key per event', () => {
    fc.assert(
      fc.property(fc.oneof(delivery, fc.anything()), (raw) => {
        const parsed = metaWebhookBody.safeParse(raw);
        if (!parsed.success) return;
        const hasOwnEntry = parsed.data.entry.some((e) => e.id === OWN);
        for (const parse of parsers) {
          const events = parse(parsed.data, OWN);
          for (const event of events) {
            expect(event.fromId).not.toBe(OWN);
            expect(hasOwnEntry).toBe(true);
            expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
            expect(event.key.startsWith(`${event.field}:`)).toBe(true);
            expect(event.key.endsWith(event.objectId)).toBe(true);
          }
        }
      }),
    );
  });

  it("keeps a person's Messenger message: its mid, sender, text and the kinds of what it carried", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 200 }),
        fc.array(fc.constantFrom('image', 'video', 'audio', 'file'), { maxLength: 3 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (mid, text, kinds, at) => {
          const body: MetaWebhookBody = metaWebhookBody.parse({
            object: 'page',
            entry: [
              {
                id: OWN,
                messaging: [
                  {
                    sender: { id: '7100000000000001' },
                    recipient: { id: OWN },
                    timestamp: at,
                    message: { mid, text, attachments: kinds.map((type) => ({ type, payload: {} })) },
                  },
                  // The echo of the Page's own send is never kept.
                  { sender: { id: OWN }, recipient: { id: '7100000000000001' }, timestamp: at, message: { mid: `${mid}-echo`, text, is_echo: true } },
                ],
              },
            ],
          });
          const [message, ...rest] = newMessengerMessages(body, OWN);
          expect(rest).toEqual([]);
          expect(message).toMatchObject({ key: `messages:${mid}`, objectId: mid, fromId: '7100000000000001', occurredAt: new Date(at).toISOString() });
          expect(message!.text).toBe([text, kinds.map((k) => `[${k}]`).join(' ')].filter(Boolean).join(' '));
        },
      ),
    );
  });
});
