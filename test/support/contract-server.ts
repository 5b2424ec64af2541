/**
 * A local HTTP server standing in for a network no test can reach (X, Mastodon). It records
 * every request Chorus sends, so a test can assert paths, headers and bodies, and answers
 * from routes the test writes with the network's documented response shapes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's exact bytes (an uploaded image, a multipart form). */
  bytes: Buffer;
  /** The body parsed as JSON or as a form, whichever its content type says. */
  json: any;
  form: URLSearchParams | null;
}

export interface Reply {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
}

/** `'POST /2/tweets'` → answer; a path segment `:name` matches anything. */
export type Routes = Record<string, (request: RecordedRequest, params: Record<string, string>) => Reply | Promise<Reply>>;

export interface ContractServer {
  url: string;
  requests: RecordedRequest[];
  routes: Routes;
  /** The recorded requests to one route, e.g. `server.sent('POST /2/tweets')`. */
  sent(route: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startContractServer(routes: Routes = {}): Promise<ContractServer> {
  const requests: RecordedRequest[] = [];
  const state = { routes };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const body = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://contract.local');
    const type = String(req.headers['content-type'] ?? '');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      bytes,
      json: type.includes('json') && body ? JSON.parse(body) : null,
      form: type.includes('x-www-form-urlencoded') ? new URLSearchParams(body) : null,
    };
    requests.push(recorded);
    const match = findRoute(state.routes, recorded);
    const reply: Reply = match
      ? await match.handler(recorded, match.params)
      : { status: 404, json: { error: `no contract route for ${recorded.method} ${recorded.path}` } };
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get routes() {
      return state.routes;
    },
    set routes(next: Routes) {
      state.routes = next;
    },
    sent: (route) => requests.filter((request) => findRoute({ [route]: () => ({}) }, request)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function findRoute(routes: Routes, request: RecordedRequest) {
  for (const [route, handler] of Object.entries(routes)) {
    const [method, pattern] = route.split(' ');
    if (method !== request.method) continue;
    const want = pattern!.split('/');
    const got = request.path.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    if (want.every((part, i) => (part.startsWith(':') ? ((params[part.slice(1)] = decodeURIComponent(got[i]!)), true) : part === got[i])))
      return { handler, params };
  }
  return null;
}
