import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A real HTTP server on loopback whose behaviour each test chooses; close() also drops hung sockets. */
export interface LocalServer {
  url: string;
  port: number;
  requests: http.IncomingMessage[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startLocalServer(initial: Handler = (_req, res) => res.end('ok')): Promise<LocalServer> {
  let handler = initial;
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle: (next) => (handler = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
