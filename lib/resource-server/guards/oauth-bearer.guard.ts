import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import { bearerSource, type BearerSource } from '../context/bearer-source.js';
import { getOAuthPrincipal, principalHolder } from '../context/principal-store.js';
import type { OAuthPrincipal } from '../decorators/oauth-principal.decorator.js';
import { OAuthResourceService } from '../oauth-resource.service.js';
import { OAUTH_SCOPES_METADATA } from '../resource-server.constants.js';

/**
 * The guard behind `@RequireOAuth()`: reads the bearer token (RFC 6750) of
 * the call, has it validated (JWT access token, introspection, storage, as
 * configured), checks the scopes the route needs, and makes the principal
 * available to `@OAuthPrincipal()`. Refusals are thrown as
 * {@link OAuthBearerException}s; the guard puts their `WWW-Authenticate` and
 * `Cache-Control` headers on the response first, so they survive an app's
 * catch-all exception filter. It never sends the response itself.
 *
 * Where the token is read: HTTP, the `Authorization` header (or the form
 * body with `allowFormBody`); WebSocket, the `Authorization` header of the
 * upgrade request (see `OAuthResourceService.verifyHandshake`) or socket.io's
 * `auth: { token }`; microservices, the `authorization` metadata / header of
 * the message (gRPC, NATS, Kafka, RabbitMQ). There, a refusal is a
 * `WsException` / `RpcException` carrying `{ error, error_description }`.
 *
 * Use it through `@RequireOAuth(...scopes)`, or with `@UseGuards(OAuthBearerGuard)`
 * among guards of your own (a route with both runs the validation once).
 * Extend it to change a decision; its protected hooks are
 * {@link OAuthBearerGuard.getRequiredScopes}, {@link OAuthBearerGuard.getBearerSource},
 * {@link OAuthBearerGuard.handleResult} and {@link OAuthBearerGuard.handleError}.
 * Dependencies are injected as properties, so a subclass calls `super()` bare.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class TenantBearerGuard extends OAuthBearerGuard {
 *   protected override handleResult(principal: OAuthPrincipal, context: ExecutionContext) {
 *     return principal.claims.tenant === context.switchToHttp().getRequest().params.tenant;
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html
 */
@Injectable()
export class OAuthBearerGuard implements CanActivate, OnModuleInit {
  /** Verifies tokens (injected by Nest; absent when no module configures resource protection). */
  @Optional() @Inject(OAuthResourceService) protected readonly resource?: OAuthResourceService;
  /** Reads the scopes `@RequireOAuth()` recorded. */
  @Inject(Reflector) protected readonly reflector!: Reflector;

  /**
   * Fails at start-up when nothing is configured to validate tokens with.
   * @throws {OAuthConfigError} naming the ways to configure it
   */
  onModuleInit(): void {
    this.service().assertConfigured('@RequireOAuth() / OAuthBearerGuard');
  }

  /**
   * Verifies the call's token and scopes.
   *
   * @param context - the guarded call
   * @returns what {@link OAuthBearerGuard.handleResult} says (`true` by default)
   * @throws {OAuthBearerException} (HTTP), `WsException`, `RpcException` through {@link OAuthBearerGuard.handleError}
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const service = this.service();
    const holder = principalHolder(context);
    let principal: OAuthPrincipal;
    try {
      const scopes = await this.getRequiredScopes(context);
      // A route guarded twice (`@RequireOAuth` on the class and the method) validates once.
      const known = context.getType() === 'http' && holder ? getOAuthPrincipal(holder) : undefined;
      principal =
        known && scopes.every((scope) => known.scope.includes(scope))
          ? known
          : await service.verifySource(await this.getBearerSource(context), scopes, holder);
    } catch (err) {
      return this.handleError(err, context);
    }
    return this.handleResult(principal, context);
  }

  /**
   * The scopes the token must grant, all of them. Default: those of
   * `@RequireOAuth()` on the controller and on the route, together.
   *
   * @param context - the guarded call
   */
  protected getRequiredScopes(
    context: ExecutionContext,
  ): readonly string[] | Promise<readonly string[]> {
    const scopes = this.reflector.getAllAndMerge<string[]>(OAUTH_SCOPES_METADATA, [
      context.getClass(),
      context.getHandler(),
    ]);
    return [...new Set(scopes)];
  }

  /**
   * Where the token is: the request to read it from (HTTP, or the headers of
   * a WebSocket handshake or a message), or the token itself. Override for a
   * transport that carries it elsewhere (a field of the message).
   *
   * @param context - the guarded call
   */
  protected getBearerSource(context: ExecutionContext): BearerSource | Promise<BearerSource> {
    return bearerSource(context);
  }

  /**
   * Decides on a valid token (its scopes already checked): `true` lets the
   * handler run, `false` answers 403 (Nest's `ForbiddenException`). Default `true`.
   *
   * @param principal - who the token speaks for
   * @param context - the guarded call
   */
  protected handleResult(
    principal: OAuthPrincipal,
    context: ExecutionContext,
  ): boolean | Promise<boolean> {
    void principal;
    void context;
    return true;
  }

  /**
   * What a refusal becomes. Default: throws the {@link OAuthBearerException}
   * (its headers put on the HTTP response), or a `WsException` /
   * `RpcException` carrying its body; authorization-server failures are
   * logged (warn) without the token. Override to answer otherwise, or return
   * `true` to let the handler run (then `@OAuthPrincipal()` is `undefined`).
   *
   * @param error - what verification threw
   * @param context - the guarded call
   */
  protected async handleError(error: unknown, context: ExecutionContext): Promise<boolean> {
    throw await this.service().exceptionFor(error, context);
  }

  private service(): OAuthResourceService {
    if (this.resource) return this.resource;
    throw new OAuthConfigError(
      '@RequireOAuth() / OAuthBearerGuard needs resource protection: ' +
        'import OAuthModule.forRoot({ resource: { issuer, audience } }) or OAuthResourceModule.forRoot(...)',
      'resource',
    );
  }
}
