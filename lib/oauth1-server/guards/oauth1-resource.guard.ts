import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OAuth1EndpointFlow } from '../flow/oauth1-endpoint.flow.js';

/** Metadata key of the realms `@RequireOAuth1(...realms)` requires. */
export const OAUTH1_REALMS_METADATA = 'nestjs-oauth:oauth1-realms';

/**
 * The guard behind `@RequireOAuth1(...realms)`: verifies the request's OAuth
 * 1 signature, timestamp, nonce and token credentials, and that the token
 * covers every realm required; the verified request is then available
 * through `@OAuth1Principal()`. A refusal is thrown as an
 * `OAuth1ResponseException` with the core's response (400, 401, 403).
 *
 * Extend it to decide the realms per request; dependencies come by property
 * injection, so a subclass calls `super()` with nothing.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class TenantRealmsGuard extends OAuth1ResourceGuard {
 *   protected override getRealms(context: ExecutionContext): string[] {
 *     return [`tenant:${context.switchToHttp().getRequest().params.tenant}`];
 *   }
 * }
 * // @UseGuards(TenantRealmsGuard) @UseFilters(OAuth1ResponseFilter)
 * ```
 */
@Injectable()
export class OAuth1ResourceGuard implements CanActivate {
  /**
   * The provider steps (injected by Nest).
   * @internal
   */
  @Inject(OAuth1EndpointFlow) protected readonly flow!: OAuth1EndpointFlow;
  /** Reads the route's realms (injected by Nest). */
  @Inject(Reflector) protected readonly reflector!: Reflector;

  /**
   * Verifies the request.
   *
   * @param context - the request
   * @returns `true` for a verified request
   * @throws {OAuth1ResponseException} a refusal, with the core's response
   * @throws {ServiceUnavailableException} when the storage fails
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const realms = await this.getRealms(context);
    await this.flow.resource(http.getRequest(), http.getResponse(), realms);
    return true;
  }

  /**
   * The realms the request's token must cover. Default: those of
   * `@RequireOAuth1(...)` on the handler and on its controller, together.
   *
   * @param context - the request
   * @returns the realms
   */
  protected getRealms(context: ExecutionContext): readonly string[] | Promise<readonly string[]> {
    return this.reflector.getAllAndMerge<string[]>(OAUTH1_REALMS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
  }
}
