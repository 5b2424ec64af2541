import {
  failed,
  succeeded,
  type AccountHealth,
  type Capabilities,
  type ChannelConnector,
  type ConnectorContext,
  type ConnectorResult,
  type RemoteProfile,
  type StreamPage,
  type StreamRequest,
} from '../connector.js';
import { feedRules } from '../../../core/networks/feed.js';
import { FeedCredentials } from './credentials.js';
import { fetchFeed, type FeedValidators } from './fetch-feed.js';
import { feedReadNotes } from './read-notes.js';

export { FeedCredentials };

const DEFAULT_PAGE = 50;

/** RSS 0.9x/1.0/2.0, Atom and JSON Feed: read-only, polled with conditional GET. */
export class FeedConnector implements ChannelConnector {
  readonly network = 'feed' as const;
  readonly capabilities: Capabilities = feedRules.capabilities;

  constructor(
    private readonly credentials: FeedCredentials,
    private readonly context: ConnectorContext,
  ) {}

  async verify(): Promise<ConnectorResult<RemoteProfile>> {
    const result = await fetchFeed(this.context.fetch, this.credentials.url, null, this.context.now());
    if (!result.ok) return result;
    if (!result.value.changed) return failed({ kind: 'transient', message: 'The feed server answered "not modified" to a first request' });
    const { feed } = result.value;
    return succeeded({
      remoteId: this.credentials.url,
      handle: new URL(this.credentials.url).host,
      displayName: feed.title,
      avatarUrl: feed.avatarUrl,
      profileUrl: feed.siteUrl,
    });
  }

  async health(): Promise<AccountHealth> {
    const result = await this.verify();
    if (result.ok) return { status: 'ok' };
    return { status: 'degraded', reason: result.failure.message };
  }

  /**
   * kind 'feed' only. `pollState` carries the last ETag/Last-Modified: an unchanged feed costs
   * the server one 304 and yields no items. `cursor` pages through the entries of the document;
   * every page that reads the document says what it noticed (charset, skipped entries) in `notes`.
   */
  async readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    if (request.kind !== 'feed') return failed({ kind: 'permanent', code: 'unsupported_stream', message: `A feed has no "${request.kind}" stream` });
    const offset = request.cursor ? Number.parseInt(request.cursor, 10) : 0;
    if (!Number.isSafeInteger(offset) || offset < 0)
      return failed({ kind: 'permanent', code: 'bad_cursor', message: 'That page cursor is not one Chorus gave out' });
    const validators = offset === 0 ? parsePollState(request.pollState) : null;
    const result = await fetchFeed(this.context.fetch, this.credentials.url, validators, this.context.now());
    if (!result.ok) return result;
    const pollState = JSON.stringify(result.value.validators);
    if (!result.value.changed) return succeeded({ items: [], olderCursor: null, pollState, notModified: true });
    const { feed, charset } = result.value;
    const limit = request.limit ?? DEFAULT_PAGE;
    // A guid is unique within its feed only: the configured address (the channel's remote id) scopes it.
    const items = feed.items(offset, offset + limit).map((item) => ({ ...item, idScope: this.credentials.url }));
    const more = offset + limit < feed.entryCount;
    return succeeded({ items, olderCursor: more ? String(offset + limit) : null, pollState, notModified: false, notes: feedReadNotes(charset, feed.skipped) });
  }

  publish = unsupported;
  like = unsupported;
  repost = unsupported;
  unlike = unsupported;
  unrepost = unsupported;
  deletePost = unsupported;
  postMetrics = unsupported;
  accountMetrics = unsupported;

  measureText(text: string, mediaCount = 0) {
    return feedRules.measureText(text, { mediaCount });
  }
}

async function unsupported(): Promise<ConnectorResult<never>> {
  return failed({ kind: 'permanent', code: 'unsupported', message: 'Feeds are read-only in Chorus' });
}

function parsePollState(state: string | null | undefined): FeedValidators | null {
  if (!state) return null;
  try {
    const value = JSON.parse(state) as Partial<FeedValidators>;
    return { etag: typeof value.etag === 'string' ? value.etag : null, lastModified: typeof value.lastModified === 'string' ? value.lastModified : null };
  } catch {
    return null;
  }
}
