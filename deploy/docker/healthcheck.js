'use strict';
/**
 * The image's HEALTHCHECK: GET /health/ready on the app's own port with
 * Node's fetch (slim images have no curl). Exit 0 when ready, 1 otherwise.
 */
const port = process.env.PORT || '8080';
const path = process.env.HEALTHCHECK_PATH || '/health/ready';

fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
