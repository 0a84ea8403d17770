/**
 * The Nest servers of benchmark 7 (issue 14): one Nest app (Express) serving
 * `GET /orders`, which needs an RS256 JWT access token with scope `read`,
 * built three ways:
 *
 * - `nest-ours`: `@RequireOAuth('read')` (nestjs-oauth's `OAuthBearerGuard`),
 *   configured with `OAuthResourceModule.forRoot({ issuer, audience })`;
 * - `nest-passport`: `@UseGuards(AuthGuard('jwt'))` of `@nestjs/passport` with
 *   `passport-jwt` and `jwks-rsa` (`passportJwtSecret`), the usual Nest choice,
 *   with the same issuer, audience, algorithm and scope check;
 * - `nest-open`: the same route unprotected (the Nest floor).
 *
 * Run by `protected-route.server.ts` in its own process. Dependencies are
 * injected with explicit tokens (the source loader emits no type metadata).
 */
import {
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Module,
  Req,
  UseGuards,
  type DynamicModule,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import type { Server } from 'node:http';
import { Strategy as JwtStrategy } from 'passport-jwt';
import {
  OAuthPrincipal,
  OAuthResourceModule,
  RequireOAuth,
  type OAuthPrincipal as Principal,
} from '../lib/index.js';
import { grantsRead, passportJwtOptions } from './passport-jwt-options.js';

/** The Nest servers of benchmark 7. */
export type NestKind = 'nest-ours' | 'nest-passport' | 'nest-open';

@Controller('orders')
class OursController {
  @Get()
  @RequireOAuth('read')
  list(@OAuthPrincipal() principal: Principal) {
    return { ok: true, sub: principal.sub };
  }
}

@Controller('orders')
class OpenController {
  @Get()
  list() {
    return { ok: true, sub: 'anyone' };
  }
}

@Controller('orders')
class PassportController {
  @Get()
  @UseGuards(AuthGuard('jwt'))
  list(@Req() request: { user: { sub: string } }) {
    return { ok: true, sub: request.user.sub };
  }
}

@Module({})
class BenchModule {}

/** passport-jwt + jwks-rsa as a Nest strategy, with the same checks as ours. */
function passportModule(issuer: string, audience: string): DynamicModule {
  @Injectable()
  class BenchJwtStrategy extends PassportStrategy(JwtStrategy, 'jwt') {
    constructor() {
      super(passportJwtOptions(issuer, audience));
    }

    validate(payload: Record<string, unknown>): Record<string, unknown> {
      if (!grantsRead(payload)) throw new ForbiddenException();
      return payload;
    }
  }

  return {
    module: BenchModule,
    imports: [PassportModule],
    controllers: [PassportController],
    providers: [BenchJwtStrategy],
  };
}

function appModule(kind: NestKind, issuer: string, audience: string): DynamicModule {
  if (kind === 'nest-passport') return passportModule(issuer, audience);
  if (kind === 'nest-open') return { module: BenchModule, controllers: [OpenController] };
  return {
    module: BenchModule,
    imports: [OAuthResourceModule.forRoot({ issuer, audience })],
    controllers: [OursController],
  };
}

/**
 * Starts one Nest server of benchmark 7 on 127.0.0.1 (random port).
 * @param kind - which app
 * @param issuer - the issuer of the tokens
 * @param audience - this API's identifier
 * @returns the listening HTTP server
 */
export async function startNestServer(
  kind: NestKind,
  issuer: string,
  audience: string,
): Promise<Server> {
  const app = await NestFactory.create(appModule(kind, issuer, audience), { logger: false });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 60_000;
  return server;
}
