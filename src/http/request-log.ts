import type { FastifyRequest } from 'fastify';

export const REDACTED = '[redacted]';

/** Path parameters whose value is the permission itself (invitation links): a URL with one is a key. */
const CAPABILITY_PARAMS = new Set(['token']);

/** Query parameters that carry secrets: OAuth authorization codes and states, tokens of any kind. */
const SECRET_QUERY_PARAMS = new Set(['token', 'access_token', 'refresh_token', 'id_token', 'code', 'state', 'secret', 'password']);

/** Pages of the web app (web/src/app/App.tsx) whose path holds a capability; the server serves them as index.html. */
const WEB_APP_CAPABILITY_PATHS = ['/invite/:token', '/reset-password/:token'];

type Pattern = { literals: string[]; capabilityAt: number };

/**
 * What the request log shows of a URL: capability path segments and secret query values
 * replaced by [redacted]. Patterns come from the routes as they are registered, so a new
 * `:token` route is covered without a list to keep. A path is judged as the router would see it
 * (percent-decoded, any case, empty and dot segments ignored), but logged as it was sent.
 */
export class LoggedUrls {
  private readonly patterns: Pattern[] = [];

  constructor() {
    for (const path of WEB_APP_CAPABILITY_PATHS) this.addRoute(path);
  }

  addRoute(url: string): void {
    const segments = url.split('/').filter((s) => s !== '');
    const capabilityAt = segments.findIndex((s) => s.startsWith(':') && CAPABILITY_PARAMS.has(s.slice(1)));
    if (capabilityAt < 0) return;
    const literals = segments.slice(0, capabilityAt).map((s) => s.toLowerCase());
    if (!this.patterns.some((p) => p.capabilityAt === capabilityAt && p.literals.join('/') === literals.join('/')))
      this.patterns.push({ literals, capabilityAt });
  }

  redact(url: string): string {
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    return this.redactPath(path) + (queryAt < 0 ? '' : '?' + redactQuery(url.slice(queryAt + 1)));
  }

  private redactPath(path: string): string {
    const raw = path.split('/');
    const effective: { text: string; index: number }[] = [];
    raw.forEach((segment, index) => {
      const text = decodeSegment(segment).toLowerCase();
      if (text === '' || text === '.') return;
      if (text === '..') effective.pop();
      else effective.push({ text, index });
    });
    const hidden = new Set<number>();
    for (const { literals, capabilityAt } of this.patterns) {
      const target = effective[capabilityAt];
      if (target && literals.every((literal, i) => literal.startsWith(':') || effective[i]?.text === literal)) hidden.add(target.index);
    }
    return hidden.size === 0 ? path : raw.map((segment, index) => (hidden.has(index) ? REDACTED : segment)).join('/');
  }

  /** Fastify's own `req` log fields, with the URL redacted. */
  serializer() {
    return (request: FastifyRequest) => ({
      method: request.method,
      url: this.redact(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    });
  }
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals >= 0 && SECRET_QUERY_PARAMS.has(decodeSegment(name.replaceAll('+', ' ')).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
