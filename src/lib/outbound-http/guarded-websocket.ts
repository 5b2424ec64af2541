import dns from 'node:dns';
import net from 'node:net';
import { Agent, WebSocket } from 'undici';
import { checkAddress, type AddressPolicy } from './address-policy.js';

export interface GuardedWebSocket {
  socket: WebSocket;
  /** Frees the connection pool the socket was opened with; call once the socket closed. */
  release(): void;
}

/**
 * A WebSocket to a host a remote server named (a Mastodon instance's streaming URL): like the safe
 * fetch, every address the host resolves to is judged by the address policy and the socket goes to
 * exactly the address judged, so neither the URL nor a DNS answer can reach a private host. A
 * refused resolved address fails the connection (`error`, then `close`); a refused literal address
 * is answered with the reason instead, before anything is sent.
 */
export function guardedWebSocket(url: URL, policy: AddressPolicy, headers: Record<string, string>): GuardedWebSocket | { refused: string } {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) !== 0) {
    const verdict = checkAddress(host, policy);
    if (!verdict.allowed) return { refused: `${host} is not reachable from Chorus: ${verdict.reason}` };
  }
  const lookup = (hostname: string, options: dns.LookupOptions, callback: (...args: any[]) => void): void => {
    dns.promises.lookup(hostname, { all: true, verbatim: true }).then(
      (answers) => {
        const refused = answers.find((answer) => !checkAddress(answer.address, policy).allowed);
        if (refused) return callback(new Error(`${hostname} is not reachable from Chorus: ${refused.address} is refused`));
        const usable = options.family ? answers.filter((a) => a.family === options.family) : answers;
        if (usable.length === 0) return callback(new Error(`${hostname} has no usable address`));
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: Error) => callback(error),
    );
  };
  const dispatcher = new Agent({ connect: { lookup } });
  return { socket: new WebSocket(url.toString(), { headers, dispatcher }), release: () => void dispatcher.close().catch(() => {}) };
}
