/**
 * "Open ↗" on a Bluesky item: bsky.app shows posts of the main network only, so an account on
 * another PDS gets its posts' at-uri rather than a bsky.app page that does not exist.
 */
import { describe, expect, it } from 'vitest';
import { itemFromPostView, postUrl, webViewOf } from '../../src/channels/bluesky/items.js';

const post = {
  uri: 'at://did:plc:alice/app.bsky.feed.post/3kabc',
  cid: 'bafyrei',
  author: { did: 'did:plc:alice', handle: 'alice.example.org' },
  record: { $type: 'app.bsky.feed.post', text: 'hello', createdAt: '2026-12-01T00:00:00.000Z' },
  indexedAt: '2026-12-01T00:00:01.000Z',
};

describe('Bluesky web view', () => {
  it('is bsky.app for the main network and none for any other PDS', () => {
    for (const service of ['https://bsky.social', 'https://BSKY.SOCIAL/', 'https://morel.us-east.host.bsky.network'])
      expect(webViewOf(service)).toBe('https://bsky.app');
    for (const service of ['https://pds.example.org', 'http://127.0.0.1:2583', 'https://bsky.social.example.org', 'not a url'])
      expect(webViewOf(service)).toBeNull();
  });

  it('opens a post on bsky.app on the main network and by at-uri elsewhere', () => {
    expect(postUrl('alice.example.org', post.uri, 'https://bsky.app')).toBe('https://bsky.app/profile/alice.example.org/post/3kabc');
    expect(postUrl('alice.example.org', post.uri, null)).toBe(post.uri);
    expect(itemFromPostView(post, webViewOf('https://pds.example.org'))?.url).toBe(post.uri);
    expect(itemFromPostView(post, webViewOf('https://bsky.social'))?.url).toBe('https://bsky.app/profile/alice.example.org/post/3kabc');
  });
});
