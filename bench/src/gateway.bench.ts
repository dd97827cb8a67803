import autocannon from 'autocannon';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceNames } from '@shop/shared/contracts';
import { AppProcess, authHeaders, freePort, TestPlatform } from '@shop/testing';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Requests that got no 2xx answer (socket errors, timeouts). */
  failed: number;
}

export interface GatewayBenchResult {
  direct: LoadResult;
  gateway: LoadResult;
  nginx: LoadResult | null;
  /** At half of the direct peak rate. */
  halfPeak: { rate: number; direct: LoadResult; gateway: LoadResult };
  /** CPU time (user + system) per request at peak: the gateway's own while it proxied, the catalog's when called directly. */
  cpuPerRequestUs: { gateway: number; catalogDirect: number };
}

/** Load on each target before anything is measured. */
const WARM_UP_SECONDS = 3;

/** User plus system CPU of a process so far, in microseconds (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** A load run, with the CPU one process spent per request meanwhile. */
async function loadWithCpu(url: string, options: { seconds: number; connections: number }, pid: number | undefined): Promise<[LoadResult, number]> {
  const before = cpuMicros(pid);
  const result = await load(url, options);
  return [result, (cpuMicros(pid) - before) / (result.rps * options.seconds)];
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bench: ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench: ${url} not up within 30 s`);
}

async function load(url: string, options: { seconds: number; connections: number; rate?: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  // A handful of socket errors at the very end of a run (connections cut at the deadline) are noise; more is a failure.
  const failed = result.non2xx + result.errors;
  if (failed > Math.max(10, result.requests.total * 0.001)) throw new Error(`bench: ${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed };
}

/** nginx 1 worker as a keep-alive reverse proxy in front of the same service, or null when nginx is not installed. */
function startNginx(upstreamPort: number, port: number): { child: ChildProcess; stop(): void } | null {
  if (spawnSync('nginx', ['-v']).error) return null;
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream service { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://service; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  return {
    child,
    stop() {
      child.kill('SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A proxied read (GET /api/products/:id) against the catalog service called
 * directly, through the gateway, and through nginx, in one run, each after a
 * warm-up and in an order that turns with the repeat; then the latency at
 * half of the direct peak, directly and through the gateway.
 */
export async function gatewayBench(options: { seconds: number; connections: number; repeat: number }, log: (line: string) => void): Promise<GatewayBenchResult> {
  const platform = await TestPlatform.start({ apps: ['catalog'] });
  const nginxPort = await freePort();
  const catalog = platform.url('catalog');
  let gateway: AppProcess | undefined;
  let nginx: ReturnType<typeof startNginx> = null;
  try {
    // The test platform's gateway environment: rate limits far above one load generator's address, so they are checked, not hit.
    gateway = await AppProcess.start('api-gateway', {
      env: { ...platform.gatewayEnv(), ...Object.fromEntries(ServiceNames.map((s) => [`${s.toUpperCase()}_URL`, catalog])) },
    });
    const gatewayUrl = gateway.url;
    nginx = startNginx(Number(new URL(catalog).port), nginxPort);
    const res = await fetch(`${catalog}/api/products`, {
      method: 'POST',
      headers: await authHeaders('bench', 'admin'),
      body: JSON.stringify({ sku: `BENCH-${Date.now()}`, name: 'Bench kettle', priceCents: 1999, currency: 'EUR', stock: 1 }),
    });
    const { id } = (await res.json()) as { id: string };
    const path = `/api/products/${id}`;
    if (nginx) await waitFor(`http://127.0.0.1:${nginxPort}${path}`, nginx.child);
    const run = { seconds: options.seconds, connections: options.connections };
    const urls: Record<'direct' | 'gateway' | 'nginx', string | null> = {
      direct: `${catalog}${path}`,
      gateway: `${gatewayUrl}${path}`,
      nginx: nginx ? `http://127.0.0.1:${nginxPort}${path}` : null,
    };
    // Each process warmed up first (a fresh catalog's first seconds are its JIT's), and the order turned with each
    // repeat: the first target measured used to be the direct call, always on the coldest catalog.
    for (const url of Object.values(urls)) if (url) await load(url, { seconds: WARM_UP_SECONDS, connections: run.connections });
    const order = (['direct', 'gateway', 'nginx'] as const).filter((t) => urls[t]);
    const turned = [...order.slice(options.repeat % order.length), ...order.slice(0, options.repeat % order.length)];
    const peak: Partial<Record<'direct' | 'gateway' | 'nginx', [LoadResult, number]>> = {};
    const pids = { direct: platform.pid('catalog'), gateway: gateway.pid, nginx: undefined };
    for (const target of turned) peak[target] = await loadWithCpu(urls[target] as string, run, pids[target]);
    const [direct, catalogCpu] = peak.direct as [LoadResult, number];
    const [viaGateway, gatewayCpu] = peak.gateway as [LoadResult, number];
    const viaNginx = peak.nginx?.[0] ?? null;
    log(`order ${turned.join(', ')}: direct ${Math.round(direct.rps)} req/s, p99 ${direct.p99} ms, catalog ${Math.round(catalogCpu)} µs CPU per request`);
    log(`gateway: ${Math.round(viaGateway.rps)} req/s, p99 ${viaGateway.p99} ms, gateway ${Math.round(gatewayCpu)} µs CPU per request`);
    log(viaNginx ? `nginx: ${Math.round(viaNginx.rps)} req/s, p99 ${viaNginx.p99} ms` : 'nginx: not installed (apt-get install nginx), skipped');
    const rate = Math.max(1, Math.round(direct.rps / 2));
    const halfRun = { ...run, rate };
    const directFirst = options.repeat % 2 === 0;
    const halfFirst = await load(directFirst ? (urls.direct as string) : (urls.gateway as string), halfRun);
    const halfSecond = await load(directFirst ? (urls.gateway as string) : (urls.direct as string), halfRun);
    const [halfDirect, halfGateway] = directFirst ? [halfFirst, halfSecond] : [halfSecond, halfFirst];
    log(`at ${rate} req/s: direct p50 ${halfDirect.p50} / p99 ${halfDirect.p99} ms, gateway p50 ${halfGateway.p50} / p99 ${halfGateway.p99} ms`);
    return {
      direct,
      gateway: viaGateway,
      nginx: viaNginx,
      halfPeak: { rate, direct: halfDirect, gateway: halfGateway },
      cpuPerRequestUs: { gateway: gatewayCpu, catalogDirect: catalogCpu },
    };
  } finally {
    nginx?.stop();
    await gateway?.stop();
    await platform.stop();
  }
}
