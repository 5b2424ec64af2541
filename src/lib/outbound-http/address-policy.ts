import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses outbound requests to user-supplied URLs (feeds, instances, webhooks) may
 * reach. Public unicast only by default; an operator may allow private networks (an intranet
 * feed, tests against loopback servers). Cloud metadata, unspecified, multicast and reserved
 * addresses are refused even then: no feed or instance legitimately lives there.
 */
export interface AddressPolicy {
  allowPrivateNetwork: boolean;
}

/** `privateNetwork`: refused only because private networks are closed, which the operator may open. */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string; privateNetwork: boolean };

/** Ranges an operator may open with CHORUS_ALLOW_PRIVATE_NETWORK=true. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'linkLocal', 'carrierGradeNat']);

const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '169.254.170.2', '100.100.100.200'].map((a) => ipaddr.parse(a).toNormalizedString());

export const ALLOW_PRIVATE_NETWORK_VARIABLE = 'CHORUS_ALLOW_PRIVATE_NETWORK';

export function addressPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): AddressPolicy {
  return { allowPrivateNetwork: env[ALLOW_PRIVATE_NETWORK_VARIABLE] === 'true' };
}

export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `${address} is not an IP address`, privateNetwork: false };
  const parsed = unwrapEmbeddedIpv4(ipaddr.parse(address));
  if (METADATA_ADDRESSES.includes(parsed.toNormalizedString())) {
    return { allowed: false, reason: `${address} is a cloud metadata address`, privateNetwork: false };
  }
  const range = parsed.range();
  if (range === 'unicast') return { allowed: true };
  if (PRIVATE_RANGES.has(range)) {
    return policy.allowPrivateNetwork ? { allowed: true } : { allowed: false, reason: `${address} is a ${describeRange(range)} address`, privateNetwork: true };
  }
  return { allowed: false, reason: `${address} is a ${describeRange(range)} address`, privateNetwork: false };
}

/**
 * IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, SIIT,
 * 6to4 2002::/16) reach that IPv4 host, so they are judged as it.
 */
function unwrapEmbeddedIpv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped') return v6.toIPv4Address();
  const bytes = v6.toByteArray();
  if (range === 'rfc6052' || range === 'rfc6145') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return v6;
}

function describeRange(range: string): string {
  const words: Record<string, string> = {
    loopback: 'loopback',
    private: 'private-network',
    uniqueLocal: 'private-network (unique local)',
    linkLocal: 'link-local',
    carrierGradeNat: 'carrier-grade NAT',
    unspecified: 'unspecified',
    multicast: 'multicast',
    broadcast: 'broadcast',
  };
  return words[range] ?? `reserved (${range})`;
}
