import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a JSON body with a strong ETag (a digest of the bytes) and `Cache-Control: private,
 * no-cache`: the browser keeps the answer but asks every time, and a reload whose answer did not
 * change is a 304 with no body (no transfer, no JSON parse, no re-render). The check still runs
 * every time, with the caller's own authorization, so a 304 is only ever about bytes that this
 * caller was just allowed to read.
 */
export function sendRevalidatable(request: FastifyRequest, reply: FastifyReply, { body, tag }: TaggedBody, contentType: string): FastifyReply {
  reply.header('etag', tag).header('cache-control', 'private, no-cache');
  if (matches(request.headers['if-none-match'], tag)) return reply.code(304).send();
  return reply.type(contentType).send(body);
}

/** A body with its strong entity tag, computed once however often the body is sent. */
export interface TaggedBody {
  body: Buffer;
  tag: string;
}

export function taggedBody(body: Buffer): TaggedBody {
  return { body, tag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** If-None-Match is a list of tags (weak ones count: RFC 9110 compares them weakly) or `*`. */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === '*' || trimmed === tag || trimmed === `W/${tag}`;
  });
}
