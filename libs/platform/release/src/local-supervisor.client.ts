import { request } from 'node:http';
import type { InstanceSupervisor } from './canary-release';

export interface LocalInstance {
  url: string;
  version: string;
  pid?: number;
}

/** One call on npm start's control socket (tools/local/local-instances.ts). */
function control<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const parsed = text ? (JSON.parse(text) as T & { error?: string }) : ({} as T & { error?: string });
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`npm start: ${parsed.error ?? `answered ${res.statusCode}`}`));
        else resolve(parsed);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? new Error(`npm start is not running here (no control socket at ${socketPath})`) : err),
    );
    req.end(payload);
  });
}

/** The instances npm start runs, as the release's supervisor: the canary is the release folder's build. */
export function localSupervisor(socketPath: string, release: { dir: string; version: string; env: Record<string, string> }): InstanceSupervisor & {
  describe(service: string): Promise<{ stable: LocalInstance | null; canary: LocalInstance | null }>;
} {
  const describe = (service: string) => control<{ stable: LocalInstance | null; canary: LocalInstance | null }>(socketPath, 'GET', `/apps/${service}`);
  return {
    describe,
    stableUrl: async (service) => {
      const { stable } = await describe(service);
      if (!stable) throw new Error(`npm start runs no stable ${service}`);
      return stable.url;
    },
    startCanary: async (service) => {
      const { canary } = await control<{ canary: LocalInstance }>(socketPath, 'POST', `/apps/${service}/canary`, release);
      return canary.url;
    },
    stopCanary: async (service) => void (await control(socketPath, 'DELETE', `/apps/${service}/canary`)),
    promote: async (service) => void (await control(socketPath, 'POST', `/apps/${service}/promote`)),
  };
}
