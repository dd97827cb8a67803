import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalInstances, serveControl } from './local-instances';

/** One call on a control socket. */
const send = (socketPath: string, method: string, path: string, body?: unknown) =>
  new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });

describe("npm start's control socket", () => {
  let dir: string;
  let socket: string;
  let server: { close(): void };
  const calls: string[] = [];
  const instances = {
    describe: (name: string) => {
      if (name !== 'payment') throw Object.assign(new Error(`no app ${name}`), { status: 404 });
      return { stable: { url: 'http://127.0.0.1:3003', version: 'v1' }, canary: null };
    },
    startCanary: async (name: string, body: unknown) => {
      calls.push(`canary ${name} ${JSON.stringify(body)}`);
      return { canary: { url: 'http://127.0.0.1:40000', version: 'v2' } };
    },
    stopCanary: async (name: string) => calls.push(`stop ${name}`),
    promote: async (name: string) => {
      calls.push(`promote ${name}`);
      throw Object.assign(new Error('payment has no canary to promote'), { status: 409 });
    },
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'control-spec-'));
    socket = join(dir, 'start.sock');
    server = await serveControl(instances, socket);
  });

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes an app, starts and stops its canary, promotes it, and answers errors with their status', async () => {
    // Whoever can open it can run a build: this user only.
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(await send(socket, 'GET', '/apps/payment')).toEqual({ status: 200, body: { stable: { url: 'http://127.0.0.1:3003', version: 'v1' }, canary: null } });
    expect(await send(socket, 'POST', '/apps/payment/canary', { dir: '/x', version: 'v2', env: {} })).toMatchObject({ status: 201 });
    expect(await send(socket, 'DELETE', '/apps/payment/canary')).toMatchObject({ status: 200 });
    expect(await send(socket, 'POST', '/apps/payment/promote')).toEqual({ status: 409, body: { error: 'payment has no canary to promote' } });
    expect(calls).toEqual(['canary payment {"dir":"/x","version":"v2","env":{}}', 'stop payment', 'promote payment']);
    expect(await send(socket, 'GET', '/apps/wishlist')).toEqual({ status: 404, body: { error: 'no app wishlist' } });
    expect((await send(socket, 'PUT', '/apps/payment/canary')).status).toBe(405);
    expect((await send(socket, 'GET', '/etc/passwd')).status).toBe(404);
  });

  it('runs releases from .local/releases only', () => {
    const local = new LocalInstances({ apps: [], infra: { adminUrl: '', dbName: '', brokers: '' }, say: () => undefined, colors: [], onExit: () => undefined });
    expect(() => local.releaseDir('/tmp/anything')).toThrow('a release is a build under .local/releases (npm run release makes them)');
    expect(() => local.releaseDir(join(__dirname, '..', '..', '.local', 'releases', '..', 'x'))).toThrow(/^a release is a build/);
  });
});
