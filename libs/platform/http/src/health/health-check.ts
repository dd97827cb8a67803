/**
 * A dependency the app relies on. `readiness` checks decide whether it takes
 * requests (a load balancer acts on them: the database, its migrations); the
 * others say how the rest of its work goes (the broker, the consumers, the
 * outbox) and show only in the status, metrics and alerts: a broker outage
 * must not take every replica out of service, since the outbox exists to keep
 * accepting work meanwhile.
 */
export interface HealthCheck {
  name: string;
  readiness: boolean;
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'ok' | 'down'; error?: string; durationMs: number }>;
}

/** Runs the checks concurrently; ok only when all pass. */
export async function runChecks(checks: HealthCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const started = performance.now();
      try {
        await c.check();
        return [c.name, { status: 'ok' as const, durationMs: Math.round(performance.now() - started) }] as const;
      } catch (err) {
        const error = (err as Error)?.message?.split('\n')[0] ?? String(err);
        return [c.name, { status: 'down' as const, error, durationMs: Math.round(performance.now() - started) }] as const;
      }
    }),
  );
  const report: ReadinessReport = { status: 'ok', checks: {} };
  for (const [name, result] of results) {
    report.checks[name] = result;
    if (result.status !== 'ok') report.status = 'unavailable';
  }
  return report;
}
