import {
  CanActivate,
  createParamDecorator,
  DynamicModule,
  ExecutionContext,
  Inject,
  Injectable,
  Module,
  SetMetadata,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ProblemException, PUBLIC_ROUTE } from '@shop/platform/http';
import { AuthError, bearerToken, createTokenVerifier, JwtOptions, Principal, Role, TokenVerifier } from './jwt';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
const ROLES_KEY = 'auth:roles';

export { Public } from '@shop/platform/http';
/** Only these roles may call the route (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** The verified caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/**
 * Every route needs a valid bearer token unless marked @Public(); the
 * identity comes only from the verified token, never from a plain header.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal }>();
    const token = bearerToken(request.headers['authorization']);
    if (!token) throw new ProblemException(401, 'a bearer token is required');
    try {
      request.principal = await this.verify(token);
    } catch (err) {
      if (err instanceof AuthError) throw new ProblemException(err.status, err.message);
      throw err;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ProblemException(403, `this needs the ${roles.join(' or ')} role`);
    }
    return true;
  }
}

@Module({})
export class AuthModule {
  static forRoot(options: JwtOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier(options) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_VERIFIER],
    };
  }
}
