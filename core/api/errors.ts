import { z } from 'zod';

/**
 * The one error shape every API answer uses (src/http/errors.ts): `code` is stable and
 * machine-readable, `message` is English for people, `details` depends on the code
 * (validation_failed: the fields; too_many_attempts / store_unavailable: retryAfterSeconds;
 * idempotency_*: nothing more).
 */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    /** The flat values of `details` (a status, a limit, a network), for the web to fill its translation of `code`. */
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Declared on every route beside its success answers: any 4xx or 5xx is an ErrorBody. */
export const errorAnswers = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/** 204 No Content, and redirects: no body at all. */
export const NoBody = z.never();

/** Answers that are not JSON (CSV, Prometheus text, HTML): the body is the text itself. */
export const TextBody = z.string();

/** File downloads: the bytes as they are. */
export const BinaryBody = z.unknown().describe('The file, as bytes');
