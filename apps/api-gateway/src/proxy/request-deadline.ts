import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { problem } from '@shop/platform/http';

/**
 * The gateway's own deadline: a request not answered within it gets a 504,
 * whatever it is waiting for. Upstream calls time out well before it.
 */
export function installRequestDeadline(app: NestFastifyApplication, timeoutMs: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent) return;
      void reply
        .code(504)
        .header('content-type', 'application/problem+json')
        .send(problem(504, `the gateway could not answer within ${timeoutMs} ms`, { title: 'Gateway Timeout', instance: request.url }));
    }, timeoutMs);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
