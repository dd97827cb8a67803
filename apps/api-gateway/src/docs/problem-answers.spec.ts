import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Ajv2020 from 'ajv/dist/2020';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHttpApp, ProblemException } from '@shop/platform/http';
import { CircuitOpenError, UpstreamTimeoutError } from '@shop/platform/resilience';
import { DomainError, DomainErrorKind } from '@shop/shared/kernel';
import { sendUnavailable } from '../proxy/answers';
import { buildOpenApiDocument } from './openapi.document';

/** A domain error as every service's domain declares them: a stable code and a kind. */
class SampleError extends DomainError<'UNKNOWN_PRODUCT' | 'NOT_FOUND'> {
  get kind(): DomainErrorKind {
    return this.code === 'NOT_FOUND' ? 'not-found' : 'unprocessable';
  }
}

@Controller('answers')
class AnswersController {
  @Get('unknown-product')
  unknownProduct(): never {
    throw new SampleError('UNKNOWN_PRODUCT', 'unknown product: 3f0e…', [{ path: 'items.0.productId', message: 'no such product' }]);
  }

  @Get('unknown-delivery')
  unknownDelivery(): never {
    throw new SampleError('NOT_FOUND', 'no delivery for this order');
  }

  @Get('bad-cursor')
  badCursor(): never {
    throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
  }

  @Get('breaker-open')
  breakerOpen(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    sendUnavailable(reply, request, new CircuitOpenError('catalog', 'the catalog breaker is open', 5));
  }

  @Get('timeout')
  timeout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    sendUnavailable(reply, request, new UpstreamTimeoutError('order', 'order did not answer within 2000 ms', 1));
  }
}

@Module({ controllers: [AnswersController] })
class AnswersModule {}

/**
 * Problem answers as the platform really sends them (a service's filter for
 * its domain errors, the gateway's own refusals), held to the Problem schema
 * the OpenAPI document publishes: a client generated from the document must
 * accept every error it can get.
 */
describe('problem answers against the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let url: string;
  const document = buildOpenApiDocument() as { components: { schemas: { Problem: Record<string, unknown> } } };
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(document.components.schemas.Problem);

  beforeAll(async () => {
    app = await createHttpApp(AnswersModule, { name: 'problem-answers-test', logLevel: 'silent' });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app.close());

  it.each([
    ['unknown-product', 422],
    ['unknown-delivery', 404],
    ['bad-cursor', 400],
    ['breaker-open', 503],
    ['timeout', 504],
  ])('GET /answers/%s: a %d whose body the Problem schema accepts', async (path, status) => {
    const response = await fetch(`${url}/answers/${path}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body: unknown = await response.json();
    const valid = validate(body);
    expect({ body, errors: valid ? [] : validate.errors }).toEqual({ body, errors: [] });
  });

  it('still refuses a body that is not a problem, so the check can fail', () => {
    expect(validate({ status: 404, detail: 'x', unexpected: true })).toBe(false);
  });
});
