import type { ChannelConnector, ConnectorFailure, ConnectorResult, Network, PublishRequest, PublishedPost } from '../../src/channels/connector.js';
import type { ChannelDirectory, PublishingChannel } from '../../src/channels/channel-directory.js';

/**
 * A network whose answers a test scripts: to drive the publisher through failures a real server
 * will not produce on demand (rate limits, outages, revoked tokens). It honours idempotency keys
 * the way Bluesky and Mastodon do, so duplicate detection is real. The happy path and the crash
 * drill use the real local Bluesky network instead.
 */
export class ScriptedNetwork {
  readonly posts = new Map<string, { text: string; key: string; channelId: string; images: { data: Uint8Array; mimeType: string; alt: string }[] }>();
  /** Every publish call, including retries, in order. */
  readonly calls: { channelId: string; key: string; attempt: number | undefined; privateTo?: string | undefined }[] = [];
  private readonly failures = new Map<string, ConnectorFailure[]>();
  /** Runs inside every publish call, while the publisher waits on the network. */
  duringPublish: (() => Promise<void>) | null = null;
  /** The URL a network answers for a post it has; a test may script an off-network or hostile one. */
  postUrl: (network: Network, remoteId: string) => string | null = (network, remoteId) => `https://${network}.example/${remoteId}`;

  /** The next publishes on this account fail with these, in order. */
  failNext(channelId: string, ...failures: ConnectorFailure[]): void {
    this.failures.set(channelId, [...(this.failures.get(channelId) ?? []), ...failures]);
  }

  connector(channelId: string, network: Network): ChannelConnector {
    const publish = async (request: PublishRequest): Promise<ConnectorResult<PublishedPost>> => {
      this.calls.push({ channelId, key: request.idempotencyKey, attempt: request.attempt, privateTo: request.replyTo?.privateTo });
      await this.duringPublish?.();
      const failure = this.failures.get(channelId)?.shift();
      if (failure) return { ok: false, failure };
      const existing = [...this.posts.entries()].find(([, p]) => p.key === request.idempotencyKey);
      if (existing) return { ok: true, value: { remoteId: existing[0], url: this.postUrl(network, existing[0]), alreadyExisted: true } };
      const remoteId = `${network}-${this.posts.size + 1}`;
      this.posts.set(remoteId, { text: request.text, key: request.idempotencyKey, channelId, images: request.images ?? [] });
      return { ok: true, value: { remoteId, url: this.postUrl(network, remoteId), alreadyExisted: false } };
    };
    const unsupported = async () => ({ ok: false as const, failure: { kind: 'permanent' as const, message: 'not scripted' } });
    return {
      network,
      capabilities: {
        streams: [],
        publish: true,
        reply: true,
        quote: true,
        like: false,
        repost: false,
        direct: { like: false, repost: false },
        delete: false,
        postMetrics: false,
        accountMetrics: false,
        media: { maxImages: 0, maxBytes: 0, mimeTypes: [], altTextMaxLength: 0 },
      },
      verify: async () => ({ ok: true, value: { remoteId: channelId, handle: channelId, displayName: channelId } }),
      health: async () => ({ status: 'ok' }),
      readStream: unsupported,
      publish,
      like: unsupported,
      repost: unsupported,
      unlike: unsupported,
      unrepost: unsupported,
      deletePost: unsupported,
      postMetrics: unsupported,
      accountMetrics: unsupported,
      measureText: (text) => ({ length: text.length, limit: 1000, tooLong: false, empty: false, fits: true }),
    };
  }
}

/** A directory of scripted accounts for one org. */
export function scriptedDirectory(network: ScriptedNetwork, orgId: () => string, channels: PublishingChannel[]): ChannelDirectory {
  return {
    listChannels: async (requestedOrg, ids) => (requestedOrg === orgId() ? channels.filter((c) => ids.includes(c.id)) : []),
    listAllChannels: async (requestedOrg) => (requestedOrg === orgId() ? channels : []),
    connectorFor: async (requestedOrg, id) => {
      const channel = channels.find((c) => c.id === id);
      return requestedOrg === orgId() && channel
        ? { ok: true, connector: network.connector(id, channel.network) }
        : { ok: false, reason: 'The account was removed from Chorus' };
    },
  };
}
