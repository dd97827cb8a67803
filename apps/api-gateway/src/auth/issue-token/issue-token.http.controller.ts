import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { signToken } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import type { GatewayConfig } from '../../config/gateway.config';
import { GATEWAY_CONFIG } from '../../upstreams/upstreams';
import { IssuedToken, IssueTokenBody, issueTokenBodySchema } from './issue-token.schemas';

/**
 * The demo issuer: a signed token for any customer id and role, with no
 * password. Registered only when AUTH_DEMO_ISSUER=true (the local stack);
 * otherwise the route does not exist (404).
 */
@Controller('api/auth/token')
export class IssueTokenHttpController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Post()
  @HttpCode(200)
  async issue(@Body(new ZodValidationPipe(issueTokenBodySchema)) body: IssueTokenBody): Promise<IssuedToken> {
    const expiresIn = this.config.DEMO_TOKEN_TTL_SECONDS;
    const accessToken = await signToken(
      this.config.JWT_SECRET as string,
      { sub: body.customerId ?? randomUUID(), role: body.role ?? 'customer' },
      { expiresInSeconds: expiresIn, issuer: this.config.JWT_ISSUER, audience: this.config.JWT_AUDIENCE },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }
}
