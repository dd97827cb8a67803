import { parseTrustedProxies, TrustedProxies } from './trusted-proxies';

describe('TRUSTED_PROXIES', () => {
  it('splits addresses, CIDRs and range names from host names, and names the first entry that is neither', () => {
    expect(parseTrustedProxies('loopback, 10.244.0.0/16,172.18.0.5,::1, storefront,edge.shop.internal')).toEqual({
      ranges: ['loopback', '10.244.0.0/16', '172.18.0.5', '::1'],
      hosts: ['storefront', 'edge.shop.internal'],
    });
    expect(parseTrustedProxies('10.0.0.0/33')).toEqual({ invalid: '10.0.0.0/33' });
    expect(parseTrustedProxies('store front')).toEqual({ invalid: 'store front' });
    expect(parseTrustedProxies('10.1.2')).toEqual({ invalid: '10.1.2' });
    expect(() => new TrustedProxies('http://storefront')).toThrow('TRUSTED_PROXIES: http://storefront is no address, CIDR, range name or host name');
  });

  it('trusts addresses and ranges as Fastify would, and nobody else', () => {
    const proxies = new TrustedProxies('loopback,10.244.0.0/16');
    expect([proxies.trust('127.0.0.1', 0), proxies.trust('::ffff:10.244.3.7', 0), proxies.trust('10.245.0.1', 0), proxies.trust('192.0.2.1', 1)]).toEqual([true, true, false, false]);
  });

  it("trusts a host name's addresses once looked up, follows them when they change, and trusts none while it does not resolve", async () => {
    let answer: string[] | Error = new Error('ENOTFOUND storefront');
    const proxies = new TrustedProxies('storefront', async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    });
    await proxies.start();
    expect(proxies.trust('172.18.0.9', 0)).toBe(false);
    answer = ['172.18.0.9', '172.18.0.10'];
    await proxies.refresh();
    expect([proxies.trust('::ffff:172.18.0.9', 0), proxies.trust('172.18.0.10', 0), proxies.trust('172.18.0.11', 0)]).toEqual([true, true, false]);
    answer = ['172.18.0.12'];
    await proxies.refresh();
    expect(proxies.addresses()).toEqual(['172.18.0.12']);
    expect(proxies.trust('172.18.0.9', 0)).toBe(false);
    answer = new Error('ENOTFOUND storefront');
    await proxies.refresh();
    expect(proxies.addresses()).toEqual([]);
    proxies.close();
  });
});
