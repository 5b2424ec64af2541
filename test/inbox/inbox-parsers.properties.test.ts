import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressesOrg } from '../../src/inbox/addresses-org.js';
import { decodeConversationCursor, encodeConversationCursor } from '../../src/inbox/cursor.js';
import { DomainError } from '../../src/lib/domain-error.js';
import type { InboundItem } from '../../src/streams/inbound-items.js';

const account = { id: 'a1', network: 'bluesky' as const, handle: 'acme.test', remoteId: 'did:plc:acme' };
const item = (text: string, overrides: Partial<InboundItem> = {}): InboundItem => ({
  id: 'i1',
  network: 'bluesky',
  remoteId: 'at://did:plc:carol/app.bsky.feed.post/1',
  url: null,
  text,
  author: { key: 'carol.test', handle: 'carol.test', displayName: 'Carol', avatarUrl: null },
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt: '2026-12-05T00:00:00.000Z',
  channelAccountId: 'a1',
  isDirect: false,
  ...overrides,
});
const addresses = (candidate: InboundItem) => addressesOrg(candidate, { accounts: [account], kind: 'home' });

describe('inbox parsers', () => {
  it('a conversation cursor round-trips, and anything else is a 400 bad_cursor, never another error', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), fc.string({ minLength: 1, maxLength: 100 }), (lastMessageAt, id) => {
        expect(decodeConversationCursor(encodeConversationCursor({ lastMessageAt, id }))).toEqual({ lastMessageAt, id });
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        try {
          decodeConversationCursor(junk);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('bad_cursor');
        }
      }),
    );
  });

  it("@handle addresses the org wherever it stands in any text, in any letter case; a longer handle or the org's own post never does", () => {
    const around = fc.string({ maxLength: 40 }).map((s) => s.replace(/[@\p{L}\p{N}_.-]/gu, ' '));
    fc.assert(
      fc.property(around, around, fc.constantFrom('acme.test', 'ACME.test', 'Acme.Test'), (before, after, handle) => {
        expect(addresses(item(`${before} @${handle}${after}`))).toBe(true);
        expect(addresses(item(`${before} @${handle}ing${after}`))).toBe(false);
        expect(
          addresses(item(`${before} @${handle}${after}`, { author: { key: 'acme.test', handle: 'acme.test', displayName: 'Acme', avatarUrl: null } })),
        ).toBe(false);
      }),
    );
  });

  it("replies to and quotes of the org's Bluesky posts address it; of someone else's do not", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,13}$/), (rkey) => {
        expect(addresses(item('nice', { replyToRemoteId: `at://did:plc:acme/app.bsky.feed.post/${rkey}` }))).toBe(true);
        expect(addresses(item('nice', { quoteOfRemoteId: `at://did:plc:acme/app.bsky.feed.post/${rkey}` }))).toBe(true);
        expect(addresses(item('nice', { replyToRemoteId: `at://did:plc:acmex/app.bsky.feed.post/${rkey}` }))).toBe(false);
      }),
    );
  });

  it('a direct message addresses the org in any stream; the same text in public does not', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).map((s) => s.replace(/@/g, ' ')),
        (text) => {
          expect(addresses(item(text, { network: 'mastodon', isDirect: true }))).toBe(true);
          expect(addresses(item(text, { network: 'mastodon', isDirect: false }))).toBe(false);
        },
      ),
    );
  });
});
