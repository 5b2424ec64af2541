import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSafeFetch, OutboundHttpError } from '../../src/lib/outbound-http/safe-fetch.js';
import { startLocalServer, type LocalServer } from './support/local-server.js';

const closed = { allowPrivateNetwork: false };
const open = { allowPrivateNetwork: true };

async function failureOf(promise: Promise<unknown>): Promise<OutboundHttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundHttpError);
  return error as OutboundHttpError;
}

describe('SSRF-safe fetch', () => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startLocalServer();
  });
  afterEach(() => server.close());

  it('refuses loopback targets by default, whatever spelling the URL uses', async () => {
    const fetch = createSafeFetch({ policy: closed });
    for (const url of [
      server.url,
      `http://localhost:${server.port}/`,
      `http://2130706433:${server.port}/`,
      `http://0x7f.1:${server.port}/`,
      `http://[::ffff:127.0.0.1]:${server.port}/`,
    ]) {
      const error = await failureOf(fetch(url));
      expect(error.kind).toBe('blocked_address');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('reaches loopback when the operator allows private networks', async () => {
    server.handle((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'));
    const response = await createSafeFetch({ policy: open })(`${server.url}/x`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(response.url).toBe(`${server.url}/x`);
  });

  it('reuses one kept-alive connection for calls in a row to the same host, and never across policies', async () => {
    server.handle((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    const fetch = createSafeFetch({ policy: open });
    for (let i = 0; i < 5; i++) expect(await (await fetch(`${server.url}/call/${i}`)).text()).toBe('ok');
    const sockets = new Set(server.requests.map((request) => request.socket));
    expect(server.requests).toHaveLength(5);
    expect(sockets.size).toBe(1);
    // A fetch under another policy has its own pool: the open one's connection cannot carry it.
    const error = await failureOf(createSafeFetch({ policy: closed })(`${server.url}/call/closed`));
    expect(error.kind).toBe('blocked_address');
    expect(server.requests).toHaveLength(5);
  });

  it('refuses non-http schemes and URLs with embedded passwords', async () => {
    const fetch = createSafeFetch({ policy: open });
    expect((await failureOf(fetch('file:///etc/passwd'))).kind).toBe('invalid_url');
    expect((await failureOf(fetch(`http://user:pw@127.0.0.1:${server.port}/`))).kind).toBe('invalid_url');
  });

  it('checks every redirect hop: a public-looking chain may not end at the metadata service', async () => {
    server.handle((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    const error = await failureOf(createSafeFetch({ policy: open })(server.url));
    expect(error.kind).toBe('blocked_address');
    expect(error.message).toContain('metadata');
  });

  it('follows up to 5 redirects and refuses the sixth', async () => {
    server.handle((req, res) => {
      const hop = Number(new URL(req.url!, server.url).searchParams.get('hop') ?? 0);
      const stop = Number(new URL(req.url!, server.url).searchParams.get('stop'));
      if (hop < stop) res.writeHead(302, { location: `/?hop=${hop + 1}&stop=${stop}` }).end();
      else res.end(`arrived after ${hop}`);
    });
    const fetch = createSafeFetch({ policy: open });
    const five = await fetch(`${server.url}/?stop=5`);
    expect(await five.text()).toBe('arrived after 5');
    expect(five.redirected).toBe(true);
    expect((await failureOf(fetch(`${server.url}/?stop=6`))).kind).toBe('too_many_redirects');
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const other = await startLocalServer((req, res) => res.end(String(req.headers.authorization ?? 'none')));
    try {
      server.handle((_req, res) => res.writeHead(307, { location: other.url }).end());
      const response = await createSafeFetch({ policy: open })(server.url, { headers: { authorization: 'Bearer secret' } });
      expect(await response.text()).toBe('none');
    } finally {
      await other.close();
    }
  });

  it('connects to the address it judged: names resolve once, through the guard', async () => {
    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    server.handle((req, res) => res.end(String(req.headers.host)));
    const allowed = await createSafeFetch({ policy: open, resolve })(`http://feed.example:${server.port}/`);
    expect(await allowed.text()).toBe(`feed.example:${server.port}`);
    expect(asked).toEqual(['feed.example']);
    // The same name answering with a private address (DNS rebinding) is refused before connecting.
    const before = server.requests.length;
    expect((await failureOf(createSafeFetch({ policy: closed, resolve })(`http://feed.example:${server.port}/`))).kind).toBe('blocked_address');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    expect((await failureOf(createSafeFetch({ policy: closed, resolve })('http://mixed.example/'))).kind).toBe('blocked_address');
  });

  it('gives up on a server that never answers', async () => {
    server.handle(() => {});
    expect((await failureOf(createSafeFetch({ policy: open, timeoutMs: 300 })(server.url))).kind).toBe('timeout');
  });

  it('gives up on a server that sends headers, then trickles the body forever', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.write('<rss>');
    });
    const response = await createSafeFetch({ policy: open, timeoutMs: 300 })(server.url);
    expect((await failureOf(response.text())).kind).toBe('timeout');
  });

  it('stops reading a 50 MB body at the limit instead of buffering it', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const pump = () => {
        while (sent < 50 * chunk.length) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const response = await createSafeFetch({ policy: open, maxResponseBytes: 2 * 1024 * 1024 })(server.url);
    expect((await failureOf(response.arrayBuffer())).kind).toBe('too_large');
    expect(sent).toBeLessThan(20 * chunk.length);
  });

  it('refuses a body whose declared length is over the limit before reading it', async () => {
    server.handle((_req, res) => res.writeHead(200, { 'content-length': String(60 * 1024 * 1024) }).write('x'));
    expect((await failureOf(createSafeFetch({ policy: open, maxResponseBytes: 1024 })(server.url))).kind).toBe('too_large');
  });

  it('decompresses gzip, and cuts a gzip bomb off at the decompressed limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200 * 1024);
    server.handle((req, res) => {
      if (req.url === '/small') return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync('small and fine'));
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    });
    const fetch = createSafeFetch({ policy: open, maxResponseBytes: 1024 * 1024 });
    expect(await (await fetch(`${server.url}/small`)).text()).toBe('small and fine');
    expect((await failureOf((await fetch(`${server.url}/bomb`)).arrayBuffer())).kind).toBe('too_large');
  });

  it('passes method, headers and body through, and returns 304 without a body', async () => {
    server.handle((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body })));
    });
    const fetch = createSafeFetch({ policy: open });
    const posted = await fetch(server.url, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await posted.json()).toEqual({ method: 'POST', body: 'x=1' });
    const unchanged = await fetch(server.url, { headers: { 'if-none-match': '"v1"' } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe('"v1"');
  });
});
