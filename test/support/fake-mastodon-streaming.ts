/**
 * A stand-in for a Mastodon instance's streaming server (docs.joinmastodon.org/methods/streaming/),
 * small enough to hold no WebSocket library: it answers the HTTP upgrade of
 * `GET /api/v1/streaming?stream=user:notification` when the bearer token is one it knows, and
 * sends events as unmasked text frames shaped `{"stream": [...], "event": "...", "payload": "<JSON>"}`.
 * A test can drop every connection and refuse new ones, as an instance restart would.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface FakeStreaming {
  /** ws://127.0.0.1:<port>, what the instance names as `configuration.urls.streaming`. */
  url: string;
  /** Sends an event to every open connection of this token; returns how many got it. */
  send(token: string, event: string, payload: unknown): number;
  /** Sends raw text (damaged frames) to every open connection of this token. */
  sendRaw(token: string, text: string): number;
  /** How many connections of this token the instance still holds open (a client's close lands here a moment after it sends it). */
  connections(token: string): number;
  /** Upgrades seen so far (accepted or not), with the query and the authorization header. */
  upgrades: { stream: string | null; authorization: string | undefined }[];
  /** Closes every connection and answers new upgrades 503 until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export async function startFakeStreaming(tokens: string[]): Promise<FakeStreaming> {
  const open = new Map<Duplex, string>();
  const upgrades: FakeStreaming['upgrades'] = [];
  let down = false;
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const authorization = req.headers.authorization;
    upgrades.push({ stream: url.searchParams.get('stream'), authorization });
    const token = authorization?.replace(/^Bearer /, '') ?? '';
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    if (down) return refuse('503 Service Unavailable');
    if (url.pathname !== '/api/v1/streaming' || url.searchParams.get('stream') !== 'user:notification') return refuse('404 Not Found');
    if (!tokens.includes(token)) return refuse('401 Unauthorized');
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}${GUID}`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`);
    open.set(socket, token);
    socket.on('data', (chunk: Buffer) => {
      // A close frame from the client (opcode 8) is answered with one, then the socket ends.
      if ((chunk[0]! & 0x0f) === 0x8) socket.end(Buffer.from([0x88, 0x00]));
    });
    const forget = () => open.delete(socket);
    socket.on('close', forget).on('error', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sendRaw = (token: string, text: string) => {
    let sent = 0;
    for (const [socket, owner] of open) {
      if (owner !== token) continue;
      socket.write(textFrame(text));
      sent++;
    }
    return sent;
  };
  return {
    url: `ws://127.0.0.1:${port}`,
    upgrades,
    send: (token, event, payload) => sendRaw(token, JSON.stringify({ stream: ['user:notification'], event, payload: JSON.stringify(payload) })),
    sendRaw,
    connections: (token) => [...open.values()].filter((owner) => owner === token).length,
    cut() {
      down = true;
      for (const socket of open.keys()) socket.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open.keys()) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function textFrame(text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  let header: Buffer;
  if (data.length < 126) {
    header = Buffer.from([0x81, data.length]);
  } else if (data.length < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(data.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(data.length), 2);
  }
  return Buffer.concat([header, data]);
}
