import type { ClickRecorder } from './click-recorder.js';

// What the analytics module adds to the server the app assembles (declaration merging, as
// channels/environment.ts does): the click buffer every redirect feeds, and the short URL base.
declare module 'fastify' {
  interface FastifyInstance {
    /** Buffers short link clicks and writes them in batches (analytics/click-recorder.ts). */
    clickRecorder: ClickRecorder;
  }
}

declare module '../http/context.js' {
  interface ServerSettings {
    /** Base of short URLs (CHORUS_SHORT_URL_BASE); unset: the public URL, else the request's own address. */
    shortUrlBase: string | undefined;
  }
}
