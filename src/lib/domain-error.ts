/**
 * A rule of the product was broken by the request (not a bug): services throw these, and the
 * HTTP layer answers with `status` and `code` in the one error shape. Services stay HTTP-free.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 413 | 422 = 409,
    /** Machine-readable specifics (which field, which network), passed through as error.details. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}
