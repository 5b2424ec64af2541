import { afterEach, describe, expect, it, vi } from 'vitest';
import { listConversations } from '../../web/src/api/inbox.js';
import { campaignConversationsPath } from '../../web/src/app/paths.js';

afterEach(() => vi.unstubAllGlobals());

describe("a campaign's conversations in the inbox", () => {
  it('links the campaign page to the inbox filtered to the campaign', () => {
    expect(campaignConversationsPath('org 1', 'spring/2026')).toBe('/orgs/org%201/inbox?campaign=spring%2F2026');
  });

  it('asks the list for the campaign beside the other filters', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (input: string) => {
      calls.push(input);
      return new Response(JSON.stringify({ conversations: [], nextCursor: null }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    await listConversations('org-1', { campaignId: 'c1', network: 'bluesky' }, { before: null, limit: 50 });
    const url = new URL(calls[0]!, 'http://x');
    expect(url.pathname).toBe('/api/orgs/org-1/conversations');
    expect(url.searchParams.toString()).toBe('limit=50&campaignId=c1&network=bluesky');
  });
});
