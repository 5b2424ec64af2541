/**
 * A stand-in Bluesky PDS for the publish benchmark: just enough XRPC for Chorus's connector
 * (createSession, refreshSession, getSession, getProfile, getRecord, createRecord, applyWrites)
 * that records every post with the time it arrived. Like a real PDS it keeps one record per
 * record key and answers a second create under the same key with a 500, so a double send shows
 * up as a collision, and a double *post* (same text, different key) as a duplicate.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPost {
  repo: string;
  rkey: string;
  text: string;
  cid: string;
  /** performance.timeOrigin-based epoch ms when the create arrived. */
  receivedAt: number;
}

export interface RecordingServer {
  url: string;
  /** Posts by `${repo}/${rkey}`. */
  posts: Map<string, RecordedPost>;
  /** Creates refused because the record key already existed (a retry the key absorbed). */
  collisions(): number;
  /** Requests by XRPC method. */
  calls: Map<string, number>;
  /** Resolves once `count` posts have arrived. */
  waitForPosts(count: number): Promise<void>;
  close(): Promise<void>;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A well-formed CIDv1 (dag-cbor, sha-256) of the bytes, in the base32 form records use. */
export function cidOf(bytes: string): string {
  const raw = Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), createHash('sha256').update(bytes).digest()]);
  let bits = 0;
  let value = 0;
  let out = 'b';
  for (const byte of raw) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function jwt(did: string, scope: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'HS256', typ: 'at+jwt' })}.${part({ scope, sub: did, iat: now, exp: now + 86_400 })}.${randomBytes(32).toString('base64url')}`;
}

const didFor = (identifier: string) =>
  identifier.startsWith('did:') ? identifier : `did:plc:${createHash('sha256').update(identifier).digest('hex').slice(0, 24)}`;

export async function startRecordingServer(): Promise<RecordingServer> {
  const posts = new Map<string, RecordedPost>();
  const calls = new Map<string, number>();
  const handles = new Map<string, string>();
  let collisions = 0;
  const waiters: { count: number; resolve: () => void }[] = [];

  const session = (identifier: string) => {
    const did = didFor(identifier);
    const handle = identifier.startsWith('did:') ? (handles.get(did) ?? 'unknown.test') : identifier;
    handles.set(did, handle);
    return { did, handle, accessJwt: jwt(did, 'com.atproto.access'), refreshJwt: jwt(did, 'com.atproto.refresh'), active: true };
  };

  const create = (repo: string, collection: string, rkey: string, record: { text?: string }) => {
    const key = `${repo}/${rkey}`;
    if (posts.has(key)) {
      collisions++;
      return null;
    }
    const cid = cidOf(JSON.stringify(record));
    posts.set(key, { repo, rkey, text: record.text ?? '', cid, receivedAt: performance.timeOrigin + performance.now() });
    for (const waiter of [...waiters]) {
      if (posts.size >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return { uri: `at://${repo}/${collection}/${rkey}`, cid };
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = url.pathname.replace(/^\/xrpc\//, '');
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      switch (method) {
        case 'com.atproto.server.createSession':
          return send(200, session(body.identifier));
        case 'com.atproto.server.refreshSession':
        case 'com.atproto.server.getSession': {
          const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
          const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? 'e30', 'base64url').toString()).sub as string | undefined;
          return sub ? send(200, session(sub)) : send(401, { error: 'AuthenticationRequired', message: 'no token' });
        }
        case 'app.bsky.actor.getProfile': {
          const did = didFor(url.searchParams.get('actor') ?? '');
          return send(200, { did, handle: handles.get(did) ?? 'unknown.test' });
        }
        case 'com.atproto.repo.getRecord': {
          const repo = url.searchParams.get('repo')!;
          const collection = url.searchParams.get('collection')!;
          const rkey = url.searchParams.get('rkey')!;
          const found = posts.get(`${repo}/${rkey}`);
          if (!found) return send(400, { error: 'RecordNotFound', message: `Could not locate record: at://${repo}/${collection}/${rkey}` });
          return send(200, {
            uri: `at://${repo}/${collection}/${rkey}`,
            cid: found.cid,
            value: { $type: collection, text: found.text, createdAt: new Date(found.receivedAt).toISOString() },
          });
        }
        case 'com.atproto.repo.createRecord': {
          const created = create(body.repo, body.collection, body.rkey ?? randomBytes(8).toString('hex'), body.record);
          return created ? send(200, { ...created, validationStatus: 'valid' }) : send(500, { error: 'InternalServerError', message: 'Internal Server Error' });
        }
        case 'com.atproto.repo.applyWrites': {
          const results = [];
          for (const write of body.writes ?? []) {
            const created = create(body.repo, write.collection, write.rkey, write.value);
            if (!created) return send(500, { error: 'InternalServerError', message: 'Internal Server Error' });
            results.push({ $type: 'com.atproto.repo.applyWrites#createResult', ...created, validationStatus: 'valid' });
          }
          return send(200, { results });
        }
        default:
          return send(501, { error: 'MethodNotImplemented', message: `${method} is not part of the recording server` });
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    calls,
    collisions: () => collisions,
    waitForPosts: (count) => (posts.size >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
