import { afterAll, beforeAll } from 'vitest';

/**
 * Local test peers listen on loopback, which Chorus refuses unless the operator allows private
 * networks: this file's tests allow it, and the setting is put back afterwards.
 */
export function allowPrivateNetworkInThisFile(): void {
  const previous = process.env.CHORUS_ALLOW_PRIVATE_NETWORK;
  beforeAll(() => {
    process.env.CHORUS_ALLOW_PRIVATE_NETWORK = 'true';
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.CHORUS_ALLOW_PRIVATE_NETWORK;
    else process.env.CHORUS_ALLOW_PRIVATE_NETWORK = previous;
  });
}
