import type { FastifyInstance } from 'fastify';
import type { PublicImageHost } from '../../src/channels/public-images.js';
import type { Clock } from '../../src/lib/clock.js';
import type { Store } from '../../src/store/store.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, setUpOwner, type Person } from './api-client.js';
import { freePort } from './free-port.js';
import { PRIVATE_NETWORK_ALLOWED } from './private-network.js';

export interface ChorusMediaHost {
  app: FastifyInstance;
  /** CHORUS_PUBLIC_URL of this server: where it listens. */
  url: string;
  owner: Person;
  /** The host the server's channels give the owner's org (as openConnector does). */
  images: PublicImageHost;
  close(): Promise<void>;
}

/**
 * A running Chorus whose CHORUS_PUBLIC_URL is its own loopback address, with one org: a fake
 * Instagram or Threads server fetches the `image_url` it is given from it, as Meta would.
 */
export async function startChorusMediaHost(store: Store, options: { clock?: Clock; secretKey?: string } = {}): Promise<ChorusMediaHost> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await buildTestServer(store, {
    publicUrl: url,
    addressPolicy: PRIVATE_NETWORK_ALLOWED,
    secretKey: options.secretKey ?? 'public-media-test-secret-key',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await app.listen({ host: '127.0.0.1', port });
  const owner = await setUpOwner(app);
  const scope = new OrgScope(store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, app.clock);
  const publicImages = app.channels.publicImages;
  if (!publicImages) throw new Error('the server was built without a public image host');
  return { app, url, owner, images: publicImages(scope), close: () => app.close() };
}

/** What a network's server gets when it fetches an image address. */
export async function fetchImage(address: string): Promise<{ status: number; contentType: string | null; bytes: Uint8Array }> {
  const response = await fetch(address);
  return { status: response.status, contentType: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}
