import type { AtpAgent } from '@atproto/api';
import type { NormalizedItem, StreamPage, StreamRequest } from '../connector.js';
import { RequestProblem } from './failures.js';
import { BLUESKY_WEB_VIEW, feedEntry, feedPage, itemFromPostView, itemFromRecord, notification, notificationPage, searchPage } from './items.js';

/** Notification reasons that carry a post addressed to the account. */
const CONVERSATION_REASONS = new Set(['mention', 'reply', 'quote']);

/** Reads one page of a stream; every stream is served by the AppView behind the PDS. */
export async function readBlueskyStream(
  agent: AtpAgent,
  ownDid: string,
  request: StreamRequest,
  webView: string | null = BLUESKY_WEB_VIEW,
): Promise<StreamPage> {
  const limit = Math.min(Math.max(request.limit ?? 30, 1), 100);
  const cursor = request.cursor ?? undefined;
  switch (request.kind) {
    case 'home':
      return fromFeed((await agent.getTimeline({ limit, cursor })).data, webView);
    case 'user_posts':
      return fromFeed((await agent.getAuthorFeed({ actor: request.target || ownDid, limit, cursor })).data, webView);
    case 'list':
      return fromFeed((await agent.app.bsky.feed.getListFeed({ list: required(request), limit, cursor })).data, webView);
    case 'search': {
      const page = searchPage.parse((await agent.app.bsky.feed.searchPosts({ q: required(request), limit, cursor })).data);
      return { items: present(page.posts.map((post) => itemFromPostView(post, webView))), olderCursor: page.cursor ?? null };
    }
    case 'mentions':
    case 'notifications': {
      // Likes, reposts and follows are not posts, so neither stream shows them as items; the
      // server filters mentions so their pages come back full.
      const reasons = request.kind === 'mentions' ? [...CONVERSATION_REASONS] : undefined;
      const page = notificationPage.parse((await agent.listNotifications({ limit, cursor, reasons })).data);
      const items = page.notifications.map((raw) => {
        const parsed = notification.safeParse(raw);
        return parsed.success && CONVERSATION_REASONS.has(parsed.data.reason) ? itemFromRecord(parsed.data, webView) : null;
      });
      return { items: present(items), olderCursor: page.cursor ?? null };
    }
    default:
      throw new RequestProblem('unsupported_stream', `Bluesky has no ${request.kind} stream`);
  }
}

function fromFeed(data: unknown, webView: string | null): StreamPage {
  const page = feedPage.parse(data);
  const items = page.feed.map((raw) => {
    const entry = feedEntry.safeParse(raw);
    return entry.success ? itemFromPostView(entry.data.post, webView) : null;
  });
  return { items: present(items), olderCursor: page.cursor ?? null };
}

function required(request: StreamRequest): string {
  if (!request.target) throw new RequestProblem('stream_target_missing', `the ${request.kind} stream needs a target`);
  return request.target;
}

function present(items: (NormalizedItem | null)[]): NormalizedItem[] {
  return items.filter((item): item is NormalizedItem => item !== null);
}
