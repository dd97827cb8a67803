import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess, TestPlatform, workspaceRoot } from '@shop/testing';
import { startGateway } from '../gateway/gateway-process';

const PAGE = join(workspaceRoot(), 'docs', 'api-walkthrough.md');

/** The page's shell blocks, in order: the script a reader pastes. */
function script(markdown: string): string {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/**
 * docs/api-walkthrough.md, run as written (bash, curl, jq) against the whole
 * platform behind the gateway, the courier left to the admin's calls, as a
 * reader would run it against `npm start`.
 */
describe('the REST walkthrough (docs/api-walkthrough.md)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;

  beforeAll(async () => {
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '-1', DELIVERY_COMPLETE_DELAY_MS: '-1' } },
    });
    gateway = await startGateway({ ...platform.gatewayEnv(), AUTH_DEMO_ISSUER: 'true' });
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  it('takes a new customer from a token to a delivered order', () => {
    const steps = script(readFileSync(PAGE, 'utf8'));
    expect(steps.split('\n').filter((l) => l.includes('curl')).length).toBeGreaterThanOrEqual(10);
    const run = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', steps], { env: { PATH: process.env.PATH, GATEWAY: gateway.url }, encoding: 'utf8', timeout: 90_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const summary = JSON.parse(run.stdout.slice(run.stdout.lastIndexOf('{\n')));
    expect(summary).toEqual({
      status: 'DELIVERED',
      history: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED'],
      payment: 'AUTHORIZED',
      delivery: 'DELIVERED',
      degraded: [],
    });
    // The admin's two courier steps, each shown as the loop ran them.
    expect(run.stdout).toMatch(/DISPATCHED\n(.*\n)*DELIVERED\n/);
  }, 120_000);
});
