import { between, instanceSample, quantileMs } from './instance-signals';

const metrics = (served: number, errors: number, retried: number) => `
# TYPE http_server_request_duration_seconds histogram
http_server_request_duration_seconds_bucket{le="0.01",method="GET",route="/api/payments",status_code="200",app="payment"} ${served - 2}
http_server_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/payments",status_code="200",app="payment"} ${served}
http_server_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/payments",status_code="200",app="payment"} ${served}
http_server_request_duration_seconds_count{method="GET",route="/api/payments",status_code="200",app="payment"} ${served}
http_server_request_duration_seconds_bucket{le="0.01",method="GET",route="/api/payments",status_code="500",app="payment"} ${errors}
http_server_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/payments",status_code="500",app="payment"} ${errors}
http_server_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/payments",status_code="500",app="payment"} ${errors}
http_server_request_duration_seconds_count{method="GET",route="/api/payments",status_code="500",app="payment"} ${errors}
http_server_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health/ready",status_code="200",app="payment"} 1000
http_server_request_duration_seconds_count{method="GET",route="/health/ready",status_code="200",app="payment"} 1000
messaging_records_total{topic="order.orders.v1",group="payment",outcome="processed",app="payment"} 40
messaging_records_total{topic="order.orders.v1",group="payment",outcome="retried",app="payment"} ${retried}
messaging_records_total{topic="order.orders.v1.payment.retry-1",group="payment.retry",outcome="dead-lettered",app="payment"} 1
process_resident_memory_bytes{app="payment"} 123456789
`;

describe("an instance's signals, from its /metrics", () => {
  it('counts requests and 5xx answers (probes aside), records and their outcomes, and memory', () => {
    expect(instanceSample(metrics(10, 2, 3))).toEqual({
      requests: 12,
      serverErrors: 2,
      buckets: [
        [0.01, 10],
        [0.1, 12],
        [Infinity, 12],
      ],
      records: 44,
      retried: 3,
      deadLettered: 1,
      rssBytes: 123456789,
    });
  });

  it('takes what happened between two readings', () => {
    const d = between(instanceSample(metrics(10, 2, 3)), instanceSample(metrics(30, 2, 9)));
    expect(d).toMatchObject({ requests: 20, serverErrors: 0, records: 6, retried: 6, deadLettered: 0, buckets: [[0.01, 20], [0.1, 20], [Infinity, 20]] });
  });

  it('reads percentiles from the histogram as Prometheus does, linear within a bucket', () => {
    const buckets: Array<[number, number]> = [
      [0.01, 50],
      [0.1, 100],
      [Infinity, 100],
    ];
    expect(quantileMs(buckets, 0.5)).toBeCloseTo(10);
    expect(quantileMs(buckets, 0.75)).toBeCloseTo(55);
    expect(quantileMs([[0.01, 0], [Infinity, 4]], 0.99)).toBe(10);
    expect(quantileMs([[Infinity, 0]], 0.5)).toBeUndefined();
  });
});
