import type { TrackCalls } from './confidence-check';
import type { GatewayReleases, ReleaseReport } from './canary-release';

/** The gateway's release routes over HTTP, with an admin token. */
export function gatewayReleases(gatewayUrl: string, token: () => Promise<string>): GatewayReleases {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${gatewayUrl.replace(/\/$/, '')}/api/admin/releases${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`gateway: ${method} /api/admin/releases${path} answered ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  type View = { upstream: string; stable: TrackCalls; canary: (TrackCalls & { url: string }) | null };
  return {
    setCanary: async (service, canary) => void (await call('PUT', `/${service}/canary`, canary)),
    clearCanary: async (service) => void (await call('DELETE', `/${service}/canary`)),
    report: async (service, report: ReleaseReport) => void (await call('PUT', `/${service}/report`, report)),
    calls: async (service) => {
      const view = (await call<{ releases: View[] }>('GET', '')).releases.find((r) => r.upstream === service);
      if (!view?.canary) return undefined;
      const pick = (t: TrackCalls) => ({ calls: t.calls, failures: t.failures, opened: t.opened });
      return { stable: pick(view.stable), canary: pick(view.canary) };
    },
  };
}
