import { createMetricsRegistry, releaseLabels } from './metrics.module';

describe('release labels', () => {
  it("reads the version and the track from OpenTelemetry's resource attributes", () => {
    expect(releaseLabels('service.version=3f2a9c0d1e7b,release.track=canary, deployment.environment=kind')).toEqual({ version: '3f2a9c0d1e7b', track: 'canary' });
    expect(releaseLabels('release.track=canary%20two')).toEqual({ track: 'canary two' });
    expect(releaseLabels('')).toEqual({});
    expect(releaseLabels('=x,service.version=,broken')).toEqual({});
  });

  it('labels every metric of the process with them, beside the app', async () => {
    const before = process.env.OTEL_RESOURCE_ATTRIBUTES;
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'service.version=abc123,release.track=canary';
    try {
      const { registry, httpDuration } = createMetricsRegistry('payment');
      httpDuration.observe({ method: 'GET', route: '/x', status_code: '200' }, 0.01);
      expect(await registry.metrics()).toContain('http_server_request_duration_seconds_count{app="payment",version="abc123",track="canary",method="GET",route="/x",status_code="200"} 1');
    } finally {
      if (before === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
      else process.env.OTEL_RESOURCE_ATTRIBUTES = before;
    }
  });
});
