import { readFileSync } from 'node:fs';
import { AppProcess, freePort, TestPlatform } from '@shop/testing';

/**
 * The local addresses TCP sockets listen on, from the kernel's own tables
 * (/proc/net/tcp and tcp6), by port: what `ss -ltn` shows.
 */
function listeners(): Map<number, string[]> {
  const byPort = new Map<number, string[]>();
  for (const [file, family] of [['/proc/net/tcp', 4], ['/proc/net/tcp6', 6]] as const) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A: LISTEN
      const [hex, portHex] = local.split(':');
      const port = parseInt(portHex, 16);
      const address = family === 4 ? hex.match(/../g)?.reverse().map((b) => parseInt(b, 16)).join('.') : hex === '0'.repeat(32) ? '::' : hex === '00000000000000000000000001000000' ? '::1' : hex;
      byPort.set(port, [...(byPort.get(port) ?? []), address ?? hex]);
    }
  }
  return byPort;
}

/**
 * A local start must not face the network: npm start runs the demo token
 * issuer, which mints an admin token for anyone who asks. Every app, as the
 * tests and npm start run it (no HOST), listens on loopback only, its
 * metrics listener included.
 */
describe('apps started locally listen on loopback only', () => {
  let platform: TestPlatform;
  const others: AppProcess[] = [];

  afterAll(async () => {
    for (const app of others) await app.stop();
    await platform?.stop();
  });

  it('binds every service, the gateway and the storefront (and their metrics listeners) to 127.0.0.1', async () => {
    platform = await TestPlatform.start({ apps: ['catalog', 'order'] });
    const gatewayMetrics = await freePort();
    const gateway = await AppProcess.start('api-gateway', { env: { ...platform.gatewayEnv(), METRICS_PORT: String(gatewayMetrics), AUTH_DEMO_ISSUER: 'true' } });
    others.push(gateway);
    const storefrontMetrics = await freePort();
    const storefront = await AppProcess.start('storefront', { env: { GATEWAY_URL: gateway.url, METRICS_PORT: String(storefrontMetrics) } });
    others.push(storefront);

    const ports: Record<string, number> = {
      catalog: Number(new URL(platform.url('catalog')).port),
      order: Number(new URL(platform.url('order')).port),
      'api-gateway': gateway.port,
      'api-gateway metrics': gatewayMetrics,
      storefront: storefront.port,
      'storefront metrics': storefrontMetrics,
    };
    const bound = listeners();
    for (const [app, port] of Object.entries(ports)) expect({ app, addresses: bound.get(port) }).toEqual({ app, addresses: ['127.0.0.1'] });
  });
});
