import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { channelsEnvironment } from '../channels/environment.js';
import { noticeChannelTokens } from '../channels/token-notices.js';
import { remindDueTasks } from '../crm/tasks.js';
import { startJobLoop } from '../lib/job-loop.js';
import { channelDirectory } from '../channels/publishing-directory.js';
import { startKeyPruner } from '../idempotency/pruner.js';
import { conversationCollector } from '../inbox/collect.js';
import { startInboxWorker } from '../inbox/worker.js';
import { systemClock } from '../lib/clock.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import { newId } from '../lib/ids.js';
import { publishLinkShortener } from '../analytics/publish-links.js';
import { announceTargetFailure } from '../publishing/failure-announcements.js';
import { startPublisher } from '../publishing/worker.js';
import { publicImagesFor } from '../public-media/host.js';
import { startPublicMediaPruner } from '../public-media/pruner.js';
import { streamNotifier } from '../streams/live.js';
import { startIngestWorker } from '../streams/worker.js';
import { startMastodonPush } from '../streams/mastodon-push.js';
import { startMetricsPuller } from '../analytics/metrics-pull.js';
import type { Store } from '../store/store.js';
import './module-ports.js';

export interface BackgroundWorkers {
  workerId: string;
  stop(): Promise<void>;
}

/** What the background jobs need from the configuration (src/config.ts). */
export interface BackgroundWorkerSettings {
  secretKey: string;
  addressPolicy: AddressPolicy;
  /**
   * How long a publisher's claim lasts (CHORUS_PUBLISH_LEASE_MS): the time a killed worker's
   * targets wait before another worker takes them over. Keep it well above the time one batch
   * takes to publish, or a slow but live worker loses targets it is still sending.
   */
  publishLeaseMs: number;
  /** CHORUS_PUBLIC_URL: where Instagram, Threads and LINE fetch post images from (src/public-media/); unset, they take none. */
  publicUrl?: string | undefined;
  /** Base of short URLs made at publish (CHORUS_SHORT_URL_BASE, else CHORUS_PUBLIC_URL); unset: no shortening at publish. */
  shortUrlBase?: string | undefined;
  /** CHORUS_BLUESKY_FIREHOSE_URL: push for Bluesky mentions (streams/bluesky-push.ts); null or absent: polling only. */
  blueskyFirehoseUrl?: string | null;
  /** CHORUS_MASTODON_STREAMING: push for Mastodon mentions (streams/mastodon-push.ts); false: polling only. Off when absent. */
  mastodonStreaming?: boolean;
}

/**
 * Starts a push reader from its module, loaded only when that push is configured: its WebSocket
 * client (undici) is code an instance polling only never runs (idle RSS: bench/README.md, "Session 11").
 */
function startLoaded(logger: FastifyBaseLogger, start: () => Promise<{ stop(): Promise<void> }>): { stop(): Promise<void> } {
  const started = start().catch((err: unknown) => {
    logger.error({ err }, 'push reader did not start; polling goes on alone');
    return null;
  });
  return { stop: async () => (await started)?.stop() };
}

/** The jobs that run next to the API in `serve`, or alone in `chorus worker` processes. */
export function startBackgroundWorkers(store: Store, settings: BackgroundWorkerSettings, logger: FastifyBaseLogger): BackgroundWorkers {
  // Unique per process and readable in the database: which host and pid holds a lease.
  const workerId = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const channels = channelsEnvironment(settings.secretKey, settings.addressPolicy, publicImagesFor(settings));
  const publisher = startPublisher({
    store,
    clock: systemClock,
    directory: channelDirectory(store.db, systemClock, channels),
    workerId,
    leaseMs: settings.publishLeaseMs,
    logger,
    onFailure: announceTargetFailure(store.db, systemClock, () => channels.fetch),
    rewriteText: publishLinkShortener(store.db, systemClock, settings.shortUrlBase),
  });
  logger.info({ workerId, leaseMs: settings.publishLeaseMs }, 'publisher started');
  const ingest = startIngestWorker({
    store,
    clock: systemClock,
    env: channels,
    notifier: streamNotifier(store),
    workerId,
    logger,
    onNewItems: conversationCollector(store, systemClock, logger),
  });
  logger.info({ workerId }, 'stream ingest started');
  const firehoseUrl = settings.blueskyFirehoseUrl;
  const push = firehoseUrl
    ? startLoaded(logger, async () =>
        (await import('../streams/bluesky-push.js')).startBlueskyPush({ store, clock: systemClock, url: firehoseUrl, wake: () => ingest.wake(), logger }),
      )
    : null;
  const mastodonPush = settings.mastodonStreaming
    ? startMastodonPush({ store, clock: systemClock, env: channels, policy: settings.addressPolicy, wake: () => ingest.wake(), logger })
    : null;
  const inbox = startInboxWorker({ store, clock: systemClock, logger });
  const keyPruner = startKeyPruner({ store, clock: systemClock, logger });
  const mediaPruner = startPublicMediaPruner({ store, clock: systemClock, logger });
  // A due task reaches its assignee's bell within this poll interval.
  const taskReminders = startJobLoop({
    name: 'task reminders',
    round: () => remindDueTasks(store.db, systemClock, 100),
    batchSize: 100,
    pollMs: 15_000,
    logger,
  });
  // Reads nothing from the networks: it compares stored token ends and health with the clock; a round takes all that is due.
  const tokenNotices = startJobLoop({
    name: 'channel token notices',
    round: () => noticeChannelTokens(store, systemClock),
    batchSize: Infinity,
    pollMs: 60_000,
    logger,
  });
  const metrics = startMetricsPuller({ store, clock: systemClock, directory: channelDirectory(store.db, systemClock, channels), workerId, logger });
  logger.info({ workerId }, 'analytics metrics puller started');
  return {
    workerId,
    stop: async () => {
      await Promise.all([push?.stop(), mastodonPush?.stop()]);
      await Promise.all([
        publisher.stop(),
        ingest.stop(),
        keyPruner.stop(),
        mediaPruner.stop(),
        inbox.stop(),
        metrics.stop(),
        taskReminders.stop(),
        tokenNotices.stop(),
      ]);
    },
  };
}
