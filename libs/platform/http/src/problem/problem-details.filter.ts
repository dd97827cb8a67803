import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, throwError } from 'rxjs';
import { DomainErrorKind, isDomainError } from '@shop/shared/kernel';
import { isUnavailable } from './unavailable';

/** RFC 9457 problem details, the shape of every error the platform returns. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The one place where the kind of a domain error becomes an HTTP status. */
const STATUS_OF: Record<DomainErrorKind, number> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409, unprocessable: 422 };

export function problem(status: number, detail: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

/** An HttpException whose body is already a problem document. */
export class ProblemException extends HttpException {
  constructor(status: number, detail: string, extra: Partial<ProblemDetails> = {}) {
    super(problem(status, detail, extra), status);
  }
}

/**
 * Maps every error to application/problem+json. A domain error's kind picks
 * its status and its code travels as `code`; framework errors (Fastify's body
 * limit, bad JSON, unknown routes) keep their 4xx status; a dependency that
 * cannot serve now (the database unreachable, a timeout, a deadlock) is a 503
 * with Retry-After; anything else unexpected is a 500 with no internals in
 * the body.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Event handlers inherit the app's filters; their errors must reach the transport untouched
    // so it can tell a retry from a dead letter.
    if (host.getType() !== 'http') return throwError(() => exception);
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toProblem(exception);
    body.instance ??= request.url;
    if (body.status === 503) {
      this.logger.warn({ err: exception, url: request.url }, 'request refused: a dependency is unavailable');
      void reply.header('retry-after', '1');
    } else if (body.status >= 500) {
      this.logger.error({ err: exception, url: request.url }, 'request failed');
    }
    void reply.code(body.status).header('content-type', 'application/problem+json').send(body);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (isDomainError(exception)) {
      return problem(STATUS_OF[exception.kind], exception.message, { code: exception.code, ...(exception.errors ? { errors: exception.errors } : {}) });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response && 'type' in response && 'status' in response) {
        return { ...(response as ProblemDetails) };
      }
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray((response as { message?: unknown }).message)
            ? ((response as { message: string[] }).message).join('; ')
            : String((response as { message?: unknown }).message ?? exception.message);
      return problem(status, message);
    }
    const fastifyError = exception as { statusCode?: number; message?: string; code?: string };
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      const detail =
        fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'request body is larger than the 1 MiB limit'
          : (fastifyError.message ?? 'bad request');
      return problem(fastifyError.statusCode, detail);
    }
    if (isUnavailable(exception)) return problem(HttpStatus.SERVICE_UNAVAILABLE, 'the service cannot reach what it needs right now; try again shortly');
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'the server could not complete the request');
  }
}
