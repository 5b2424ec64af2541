import { HttpError } from '../http/errors.js';
import type { ConnectorFailure } from './connector.js';

/**
 * The one mapping from a connector's failure to an HTTP answer, for every route that calls a
 * network on the caller's behalf (reading a stream, liking, reposting): the same failure gets the
 * same status and code wherever it happens. `doing` names what failed, for the message.
 */
export function connectorFailureHttp(failure: ConnectorFailure, doing?: string): HttpError {
  const during = doing ? ` (${doing})` : '';
  switch (failure.kind) {
    case 'auth':
      // The account's state is the conflict: reconnect it, then the same request works.
      return new HttpError(409, 'channel_needs_reconnect', `The channel needs reconnecting${during}: ${failure.message}`);
    case 'rate_limited': {
      const seconds = Math.ceil(failure.retryAfterMs / 1000);
      return new HttpError(
        429,
        'channel_rate_limited',
        `The network asks us to wait ${seconds} s${during}: ${failure.message}`,
        { retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    }
    case 'transient':
      return new HttpError(
        502,
        'channel_unavailable',
        `The network could not be reached; try again in a moment${during}: ${failure.message}`,
        failure.retryAfterMs ? { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) } : undefined,
      );
    case 'permanent':
      return new HttpError(422, failure.code ?? 'channel_request_rejected', failure.message, failure.params);
  }
}
