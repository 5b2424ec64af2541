import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../web/src/api/client.js';
import { contactsCsvUrl, contactTimeline, identityHolder, listContacts, proxyContactImages, type Contact } from '../../web/src/api/contacts.js';
import { filtersFromSearch, withFilter } from '../../web/src/pages/crm/contact-list-filters.js';
import { guessNetwork } from '../../web/src/pages/crm/identity-input.js';

const ORG = 'org-1';

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: 'c1',
    displayName: 'Alice',
    email: null,
    company: null,
    tags: [],
    avatarUrl: 'https://cdn.example/alice.png',
    identities: [
      {
        id: 'i1',
        network: 'bluesky',
        handle: 'alice.bsky.social',
        displayName: 'Alice',
        profileUrl: 'https://bsky.app/profile/alice.bsky.social',
        avatarUrl: 'https://cdn.example/alice.png',
        createdAt: '2026-01-01T00:00:00Z',
      },
      {
        id: 'i2',
        network: 'x',
        handle: 'alice',
        displayName: null,
        profileUrl: null,
        avatarUrl: 'https://tracker.example/x.png',
        createdAt: '2026-01-02T00:00:00Z',
      },
    ],
    noteCount: 0,
    lastSeenAt: null,
    stage: 'lead',
    score: 0,
    ownerUserId: null,
    ownerName: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

const json = (body: unknown) => async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('guessNetwork', () => {
  it.each([
    ['https://bsky.app/profile/alice.bsky.social', 'bluesky'],
    ['@alice.bsky.social', 'bluesky'],
    ['https://x.com/alice', 'x'],
    ['https://twitter.com/alice', 'x'],
    ['https://mastodon.social/@alice', 'mastodon'],
    ['@alice@mastodon.social', 'mastodon'],
    ['alice@fosstodon.org', 'mastodon'],
  ])('reads %s as %s', (input, network) => {
    expect(guessNetwork(input)).toBe(network);
  });

  it.each(['', '  ', '@alice', 'alice', 'https://example.com/blog', 'not a url://'])('leaves the choice to the user for %j', (input) => {
    expect(guessNetwork(input)).toBeNull();
  });
});

describe('contact images', () => {
  it('points signed avatars at the image proxy and drops unsigned ones', () => {
    const proxied = proxyContactImages(ORG, contact(), { 'https://cdn.example/alice.png': 'sig-a' });
    expect(proxied.avatarUrl).toBe(`/api/orgs/${ORG}/image-proxy?url=${encodeURIComponent('https://cdn.example/alice.png')}&sig=sig-a`);
    expect(proxied.identities[0]!.avatarUrl).toBe(proxied.avatarUrl);
    // Never loaded from its own host: no signature, no picture.
    expect(proxied.identities[1]!.avatarUrl).toBeNull();
    expect(proxyContactImages(ORG, contact(), undefined).avatarUrl).toBeNull();
  });
});

describe('identityHolder', () => {
  it('names the contact that holds a taken identity', () => {
    expect(identityHolder(new ApiError(409, 'identity_taken', 'taken', { contactId: 'c9' }))).toBe('c9');
  });

  it('is null for every other failure', () => {
    expect(identityHolder(new ApiError(400, 'invalid_identity', 'bad handle'))).toBeNull();
    expect(identityHolder(new ApiError(409, 'identity_taken', 'taken'))).toBeNull();
    expect(identityHolder(new Error('boom'))).toBeNull();
  });
});

describe('contactTimeline', () => {
  const item = {
    id: 'it1',
    network: 'feed',
    remoteId: 'r1',
    url: null,
    author: { handle: 'blog.example', displayName: 'Blog', avatarUrl: 'https://cdn.example/blog.png', profileUrl: null },
    title: null,
    text: 'hello',
    html: null,
    links: [],
    media: [],
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: '2026-01-01T00:00:00Z',
    language: null,
    metrics: null,
    channelAccountId: null,
    read: false,
    done: false,
    assignedToUserId: null,
    viewer: { liked: false, reposted: false },
  };

  it('hands the UI a column page: items proxied, the cursor as nextCursor', async () => {
    vi.stubGlobal('fetch', json({ items: [item], nextCursor: 'cursor-2', imageSignatures: { 'https://cdn.example/blog.png': 's' } }));
    const page = await contactTimeline(ORG, 'c1', null);
    expect(page.nextCursor).toBe('cursor-2');
    expect(page.items[0]!.author.avatarUrl).toContain(`/api/orgs/${ORG}/image-proxy?`);
  });
});

describe('contact list filters in the address', () => {
  it('reads every filter back from a bookmarked address and ignores a score that is not a whole number', () => {
    expect(filtersFromSearch(new URLSearchParams('q=acme&tag=vip&stage=lead&owner=me&minScore=20'))).toEqual({
      q: 'acme',
      tag: 'vip',
      stage: 'lead',
      owner: 'me',
      minScore: 20,
    });
    expect(filtersFromSearch(new URLSearchParams('minScore=1.5&owner='))).toEqual({ q: '', tag: null, stage: null, owner: null, minScore: null });
    expect(filtersFromSearch(new URLSearchParams('minScore=-5')).minScore).toBe(-5);
  });

  it('sets one filter, removes it when emptied, and keeps the others', () => {
    const set = withFilter(new URLSearchParams('stage=lead'), 'owner', 'none');
    expect(set.toString()).toBe('stage=lead&owner=none');
    expect(withFilter(set, 'stage', null).toString()).toBe('owner=none');
    expect(withFilter(set, 'minScore', 0).get('minScore')).toBe('0');
  });

  it('puts the same filters on the list request and the CSV link', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (input: string) => {
      calls.push(input);
      return json({ contacts: [], nextCursor: null, imageSignatures: {} })();
    });
    await listContacts(ORG, { q: ' acme ', stage: 'lead', owner: 'none', minScore: 0, tag: null, before: 'abc', limit: 10 });
    expect(new URL(calls[0]!, 'http://x').searchParams.toString()).toBe('q=acme&stage=lead&owner=none&minScore=0&limit=10&before=abc');
    expect(contactsCsvUrl(ORG, { q: '', tag: 'vip', stage: null, owner: 'me', minScore: null })).toBe(`/api/orgs/${ORG}/contacts/export.csv?tag=vip&owner=me`);
  });
});
