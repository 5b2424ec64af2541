import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/lib/outbound-http/address-policy.js';
import { refusedDestination } from '../../src/lib/outbound-http/destination.js';

const closed = { allowPrivateNetwork: false };
const open = { allowPrivateNetwork: true };

const octet = fc.integer({ min: 0, max: 255 });
const inRange = (first: number, secondMin = 0, secondMax = 255) =>
  fc.tuple(fc.integer({ min: secondMin, max: secondMax }), octet, octet).map(([b, c, d]) => `${first}.${b}.${c}.${d}`);

/** Private, loopback, link-local and CGNAT: closed by default, open with the operator setting. */
const privateV4 = fc.oneof(
  inRange(10),
  inRange(127),
  inRange(172, 16, 31),
  fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
  inRange(100, 64, 127),
  fc
    .tuple(octet, octet)
    .filter(([c, d]) => !(c === 169 && d === 254) && !(c === 170 && d === 2))
    .map(([c, d]) => `169.254.${c}.${d}`),
);
/** Never reachable: unspecified, multicast, reserved, broadcast. */
const neverV4 = fc.oneof(
  inRange(0),
  fc.integer({ min: 224, max: 255 }).chain((a) => inRange(a)),
);
/** Ordinary public unicast (first octets well clear of any special range). */
const publicV4 = fc.oneof(inRange(8), inRange(1), inRange(93), inRange(151), inRange(185));

const hex = (n: number) => n.toString(16);
const embedded = (v4: string) => {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  const high = hex((a << 8) | b);
  const low = hex((c << 8) | d);
  return [`::ffff:${v4}`, `::ffff:${high}:${low}`, `64:ff9b::${high}:${low}`, `2002:${high}:${low}::1`];
};

describe('address policy', () => {
  it('refuses private, loopback, link-local and CGNAT IPv4 unless the operator allows them', () => {
    fc.assert(
      fc.property(privateV4, (address) => {
        expect(checkAddress(address, closed)).toEqual({ allowed: false, reason: expect.any(String), privateNetwork: true });
        expect(checkAddress(address, open).allowed).toBe(true);
      }),
    );
  });

  it('always refuses unspecified, multicast, broadcast and reserved IPv4', () => {
    fc.assert(
      fc.property(neverV4, (address) => {
        expect(checkAddress(address, open)).toEqual({ allowed: false, reason: expect.any(String), privateNetwork: false });
      }),
    );
  });

  it('allows public unicast IPv4', () => {
    fc.assert(
      fc.property(publicV4, (address) => {
        expect(checkAddress(address, closed)).toEqual({ allowed: true });
      }),
    );
  });

  it('judges IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) exactly as that address', () => {
    fc.assert(
      fc.property(fc.oneof(privateV4, neverV4, publicV4), fc.boolean(), (v4, allowPrivateNetwork) => {
        const policy = { allowPrivateNetwork };
        for (const v6 of embedded(v4)) expect(checkAddress(v6, policy).allowed).toBe(checkAddress(v4, policy).allowed);
      }),
    );
  });

  it('refuses IPv6 loopback, unique-local, link-local, multicast and unspecified by default', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map(hex);
    const v6 = fc.oneof(
      fc.constant('::1'),
      fc.constant('::'),
      fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), group, group).map(([a, b, c]) => `${hex(a)}:${b}::${c}`),
      fc.tuple(group, group).map(([b, c]) => `fe80::${b}:${c}`),
      fc.tuple(fc.integer({ min: 0xff00, max: 0xffff }), group).map(([a, c]) => `${hex(a)}::${c}`),
    );
    fc.assert(
      fc.property(v6, (address) => {
        expect(checkAddress(address, closed).allowed).toBe(false);
      }),
    );
  });

  it('refuses cloud metadata addresses even when private networks are allowed', () => {
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe']) {
      expect(checkAddress(address, open)).toEqual({ allowed: false, reason: expect.stringContaining('metadata'), privateNetwork: false });
    }
  });

  it('allows public IPv6', () => {
    expect(checkAddress('2606:4700:4700::1111', closed).allowed).toBe(true);
  });
});

describe('a destination judged before it is stored', () => {
  const resolvesTo = (address: string) => async () => [{ address }];
  it('judges the addresses a host resolves to, and lets a host that does not resolve yet through', async () => {
    expect(await refusedDestination('https://rebind.example/hook', closed, 'Webhooks', resolvesTo('169.254.169.254'))).toBe(
      'rebind.example is not reachable from Chorus: 169.254.169.254 is a cloud metadata address',
    );
    expect(await refusedDestination('https://intranet.example/hook', closed, 'Webhooks', resolvesTo('192.168.1.20'))).toContain(
      'CHORUS_ALLOW_PRIVATE_NETWORK=true',
    );
    expect(await refusedDestination('https://intranet.example/hook', { allowPrivateNetwork: true }, 'Webhooks', resolvesTo('192.168.1.20'))).toBeNull();
    expect(await refusedDestination('https://hooks.example/hook', closed, 'Webhooks', resolvesTo('93.184.215.14'))).toBeNull();
    const unresolvable = async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await refusedDestination('https://not-yet.example/hook', closed, 'Webhooks', unresolvable)).toBeNull();
  });
});
