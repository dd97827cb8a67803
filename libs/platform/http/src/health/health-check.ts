/** A dependency the app needs to serve traffic: the database, the broker. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'ok' | 'down'; error?: string; durationMs: number }>;
}

/** Runs every check concurrently; ready only when all pass. */
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
