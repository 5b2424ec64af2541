import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { scopeOf } from '../http/org-scoped.js';
import { createSafeFetch } from '../lib/outbound-http/safe-fetch.js';
import { fetchImage, type ImageFailureKind, type ImageProxySettings, type ImageType } from './fetch-image.js';
import { FailedImages, type ImageFailure } from './failed-images.js';
import { isProxiableImageUrl, MAX_IMAGE_URL_LENGTH } from './item-images.js';
import { OrgFetchLimiter, type FetchAdmission } from './org-fetch-limiter.js';
import { RecentImages } from './recent-images.js';
import { SharedImageFetches } from './shared-image-fetches.js';
import { SilentHosts } from './silent-hosts.js';
import type { ImageUrlSigner } from './signature.js';
import { BinaryBody, errorAnswers } from '../../core/api/errors.js';

export const ImageProxyQuery = z.strictObject({
  url: z.string().max(MAX_IMAGE_URL_LENGTH).refine(isProxiableImageUrl, 'must be an absolute http(s) URL without a user name or password'),
  sig: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be the signature Chorus gave for this URL'),
});

/** An image answer is a picture, never a document: no script, no plugins, no framing, no sniffing. */
export const IMAGE_RESPONSE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

const FAILURES: Record<ImageFailureKind, { status: number; code: string }> = {
  unreachable: { status: 502, code: 'image_unreachable' },
  upstream_status: { status: 502, code: 'image_unreachable' },
  not_an_image: { status: 502, code: 'not_an_image' },
  too_large: { status: 502, code: 'image_too_large' },
  timeout: { status: 504, code: 'image_timeout' },
};

function imageFailure(image: ImageFailure): HttpError {
  const { status, code } = FAILURES[image.kind];
  return new HttpError(status, code, image.message, undefined, { 'cache-control': 'no-store' });
}

function silentHost(seconds: number): HttpError {
  return imageFailure({ ok: false, kind: 'timeout', message: `The image host has not answered lately; Chorus asks it again in ${seconds} s` });
}

function tooManyFetches(denied: Extract<FetchAdmission, { ok: false }>): HttpError {
  const message =
    denied.limit === 'concurrent'
      ? 'This organization already has as many images loading as Chorus fetches at once'
      : 'This organization has loaded more images than Chorus fetches per minute';
  return new HttpError(
    429,
    'image_rate_limited',
    `${message}; try again in ${denied.retryAfterSeconds} s`,
    { limit: denied.limit, retryAfterSeconds: denied.retryAfterSeconds },
    {
      'retry-after': String(denied.retryAfterSeconds),
      'cache-control': 'no-store',
    },
  );
}

/**
 * GET /image-proxy?url=&sig=: a stream item's image, fetched by Chorus so the browser never
 * contacts the image host (no reader IP or reading time leaks to it, no mixed content, no
 * tracking cookies). Only URLs Chorus signed for this org are fetched (see signature.ts), a
 * request for an image the org is already fetching shares that fetch, an image fetched whole in
 * the last minutes is served from memory when its host allows (recent-images.ts), a failure is
 * answered again for a while without a fetch (failed-images.ts), a host that keeps timing out is
 * left alone for a moment (silent-hosts.ts), and each org's upstream fetching is limited
 * (org-fetch-limiter.ts).
 */
export function imageProxyRoutes(signer: ImageUrlSigner, settings: ImageProxySettings) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const now = () => fastify.clock().getTime();
    const sendImage = (reply: FastifyReply, contentType: ImageType, body: Readable | Buffer) =>
      reply
        .headers({
          'content-type': contentType,
          'cache-control': `private, max-age=${settings.cacheSeconds}`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': IMAGE_RESPONSE_CSP,
          'content-disposition': 'inline',
          'cross-origin-resource-policy': 'same-origin',
        })
        .send(body);
    const limiter = new OrgFetchLimiter(settings, now);
    const recent = new RecentImages(settings.recentBytes, now);
    const failed = new FailedImages(settings.failureSeconds, now);
    const silent = new SilentHosts(settings.silentHostSeconds, now);
    const shared = new SharedImageFetches((key, image) =>
      recent.remember(key, image.contentType, image.bytes, Math.min(image.reusableSeconds, settings.recentMaxSeconds)),
    );
    app.get(
      '/image-proxy',
      {
        // Fastify would answer HEAD by running this handler, fetching the whole image to send no body.
        exposeHeadRoute: false,
        config: { permission: 'streams.read' },
        schema: {
          tags: ['streams'],
          summary: "A stream item's image through Chorus (url and sig as given in imageSignatures)",
          querystring: ImageProxyQuery,
          response: { 200: BinaryBody, ...errorAnswers },
        },
      },
      async (request, reply) => {
        const { url, sig } = request.query;
        const { orgId } = scopeOf(request);
        if (!signer.verify(orgId, url, sig)) {
          throw new HttpError(403, 'image_signature_invalid', 'This image address was not issued by Chorus for this organization');
        }
        // Per org: sharing across orgs would let one org learn what another is reading right now.
        const key = `${orgId}\n${url}`;
        const remembered = recent.get(key);
        if (remembered) return sendImage(reply, remembered.contentType, remembered.bytes);
        const failedBefore = failed.get(key);
        if (failedBefore) throw imageFailure(failedBefore);
        let pending = shared.join(key);
        if (!pending) {
          const host = `${orgId}\n${new URL(url).host}`;
          if (silent.silentFor(host)) throw silentHost(silent.silentFor(host));
          const gone = new AbortController();
          request.raw.once('close', () => gone.abort());
          const admission = await limiter.admit(orgId, gone.signal);
          if (!admission.ok) throw tooManyFetches(admission);
          // While this one waited for a place, another request may have started the same fetch.
          pending = shared.join(key);
          if (pending) admission.release();
          else if (silent.silentFor(host)) {
            // The host went silent while this one waited for a place.
            admission.release();
            throw silentHost(silent.silentFor(host));
          } else {
            const fetch = createSafeFetch({ policy: fastify.settings.addressPolicy, timeoutMs: settings.timeoutMs, maxResponseBytes: settings.maxBytes });
            pending = shared.start(
              key,
              async (cancel) => {
                const image = await fetchImage(fetch, url, cancel, settings.answerTimeoutMs);
                // A fetch cut short by its readers leaving says nothing about the host.
                if (!cancel.aborted) {
                  silent.record(host, image);
                  if (!image.ok) failed.remember(key, image);
                }
                return image;
              },
              admission.release,
            );
          }
        }
        const image = await pending;
        if (!image.ok) throw imageFailure(image);
        return sendImage(reply, image.contentType, image.body);
      },
    );
  };
}
