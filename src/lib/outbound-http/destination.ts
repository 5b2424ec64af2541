import dns from 'node:dns';
import net from 'node:net';
import { checkAddress, type AddressPolicy } from './address-policy.js';

export type Resolve = (hostname: string) => Promise<{ address: string }[]>;

/** Saving a webhook does not wait on a slow resolver longer than this; delivery judges anyway. */
const RESOLVE_DEADLINE_MS = 3000;

const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Why Chorus would refuse to send to `url` (null when it would not), judged before the URL is
 * stored: the host itself when it is an address, else every address it resolves to now. A host
 * that does not resolve yet passes; every delivery judges again (DNS can change in between).
 * The message is the feeds' (`address_not_allowed`): `what` names the thing in its hint.
 */
export async function refusedDestination(url: string, policy: AddressPolicy, what: string, resolve: Resolve = systemResolve): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await resolvedWithin(resolve, host, RESOLVE_DEADLINE_MS);
  for (const address of addresses) {
    const verdict = checkAddress(address, policy);
    if (verdict.allowed) continue;
    const hint = verdict.privateNetwork ? `. ${what} on private networks need the operator setting CHORUS_ALLOW_PRIVATE_NETWORK=true` : '';
    return `${host} is not reachable from Chorus: ${verdict.reason}${hint}`;
  }
  return null;
}

async function resolvedWithin(resolve: Resolve, host: string, deadlineMs: number): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((settle) => (timer = setTimeout(() => settle([]), deadlineMs)));
  const answered = resolve(host).then(
    (answers) => answers.map((a) => a.address),
    () => [],
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
