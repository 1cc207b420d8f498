import { clientAddress, readTrustedProxies } from './client-address';

describe('readTrustedProxies', () => {
  it('trusts no proxy by default', () => {
    const none = readTrustedProxies({});
    expect(none.entries).toEqual([]);
    expect(none.trusts('127.0.0.1', 0)).toBe(false);
    expect(readTrustedProxies({ TRUSTED_PROXIES: '  ' }).entries).toEqual([]);
  });

  it('reads addresses, CIDR ranges and named ranges, INGESTION_TRUSTED_PROXIES before TRUSTED_PROXIES', () => {
    const trusted = readTrustedProxies({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7 ,fd00::/8,loopback' });
    expect(trusted).toMatchObject({ variable: 'TRUSTED_PROXIES', entries: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'loopback'] });
    expect(trusted.trusts('10.20.30.40', 0)).toBe(true);
    expect(trusted.trusts('192.168.1.8', 0)).toBe(false);
    expect(trusted.trusts('::1', 0)).toBe(true);
    expect(readTrustedProxies({ TRUSTED_PROXIES: '10.0.0.1', INGESTION_TRUSTED_PROXIES: '10.0.0.2' })).toMatchObject({ variable: 'INGESTION_TRUSTED_PROXIES', entries: ['10.0.0.2'] });
  });

  it.each([
    ['not an address', 'proxy.internal', /"proxy.internal" is not an IP address, a CIDR range/],
    ['a bad range', '10.0.0.0/33', /"10.0.0.0\/33" is not an IP address/],
    ['an empty entry', '10.0.0.1,,10.0.0.2', /entry 2 is empty/],
  ])('refuses %s, naming the variable and the entry', (_case, value, message) => {
    expect(() => readTrustedProxies({ TRUSTED_PROXIES: value })).toThrow(message);
    expect(() => readTrustedProxies({ TRUSTED_PROXIES: value })).toThrow(/^TRUSTED_PROXIES: /);
  });
});

describe('clientAddress', () => {
  const trusted = readTrustedProxies({ TRUSTED_PROXIES: '10.0.0.0/8,127.0.0.1' });

  it('is the direct peer when it is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.1', readTrustedProxies({}))).toBe('127.0.0.1');
  });

  it('walks X-Forwarded-For from right to left behind trusted proxies, skipping trusted hops', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // a visitor's own forged entry sits left of what the trusted proxies appended: it is never reached
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1, 10.0.0.9', trusted)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '198.51.100.1,10.1.1.1', trusted)).toBe('198.51.100.1');
  });

  it('is the last trusted hop when every entry is trusted, and the peer when there is no header', () => {
    expect(clientAddress('10.0.0.5', '10.0.0.7', trusted)).toBe('10.0.0.7');
    expect(clientAddress('10.0.0.5', undefined, trusted)).toBe('10.0.0.5');
  });

  it('reads an IPv4 peer written as IPv6 (::ffff:10.0.0.5) as the IPv4 address', () => {
    expect(clientAddress('::ffff:10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
  });
});
