import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { createConfigReader } from '../config/config-reader.js';
import { OAuthError, type FetchLike } from '../core/index.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import { checkRequiredScopes, ResourceProtector } from '../server/index.js';
import { resolveResourceOptions } from './config/resolve-resource-options.js';
import {
  httpBearerRequest,
  rememberHandshake,
  wsBearerSource,
  type BearerSource,
} from './context/bearer-source.js';
import { contextException } from './errors/context-exception.js';
import { setOAuthPrincipal } from './context/principal-store.js';
import type { OAuthPrincipal } from './decorators/oauth-principal.decorator.js';
import { OAuthBearerException, toBearerException } from './errors/oauth-bearer.exception.js';
import {
  OAUTH_ACCESS_TOKEN_LOOKUP,
  OAUTH_RESOURCE_LOGGER_CONTEXT,
} from './resource-server.constants.js';

/** Where resource options were given: `OAuthModule`'s `resource`, or `OAuthResourceModule`. */
interface ResourceSource {
  where: string;
  code: unknown;
  defaults?: { fetch?: FetchLike; timeout?: number };
}

/**
 * Verifies bearer tokens for this app's API: what `@RequireOAuth()` and
 * {@link OAuthBearerGuard} run, and what a handler that cannot use them calls
 * itself. One per app, built at start-up from the resource options
 * (`OAuthModule.forRoot({ resource })` or `OAuthResourceModule.forRoot()`),
 * the `OAUTH_RESOURCE_*` config keys and an `OAUTH_ACCESS_TOKEN_LOOKUP`
 * provider. Failures are {@link OAuthBearerException}s (RFC 6750).
 *
 * @example
 * ```ts
 * @Get('report')
 * async report(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
 *   const principal = await this.resource.verifyRequest(req, ['reports'], res);
 *   return this.reports.for(principal.sub);
 * }
 * ```
 */
@Injectable()
export class OAuthResourceService implements OnModuleInit {
  private readonly sources: ResourceSource[] = [];
  private built?: { protector?: ResourceProtector };
  private readonly logger = new Logger(OAUTH_RESOURCE_LOGGER_CONTEXT);

  /** @internal Built by Nest. */
  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
    @Optional() @Inject(ConfigService) private readonly config?: ConfigService,
  ) {}

  /**
   * Records where resource options were given (done by the modules' providers).
   * @internal
   */
  addSource(where: string, code: unknown, defaults?: ResourceSource['defaults']): void {
    if (this.built) throw new Error('OAuth resource server: options added after start-up');
    this.sources.push({ where, code, defaults });
  }

  /**
   * Builds the validators at start-up.
   * @throws {OAuthConfigError} naming the key to fix
   */
  onModuleInit(): void {
    this.build();
  }

  /** Whether any way to validate tokens is configured. */
  get configured(): boolean {
    return this.build() !== undefined;
  }

  /**
   * The framework-free protector behind this service.
   * @throws {OAuthConfigError} when resource protection is not configured
   */
  get protector(): ResourceProtector {
    const protector = this.build();
    if (!protector) this.assertConfigured('OAuthResourceService');
    return protector!;
  }

  /**
   * Fails when nothing is configured to validate tokens with (a check with
   * nothing to check against is an error, never a skip).
   *
   * @param who - what needs it, for the message
   * @throws {OAuthConfigError} naming the ways to configure it
   */
  assertConfigured(who: string): void {
    if (this.build()) return;
    throw new OAuthConfigError(
      `${who} has no way to validate tokens: set OAuthModule.forRoot({ resource: { issuer, audience } }) ` +
        '(or OAUTH_RESOURCE_ISSUER and OAUTH_RESOURCE_AUDIENCE), import OAuthResourceModule.forRoot(...), ' +
        'or provide OAUTH_ACCESS_TOKEN_LOOKUP',
      'resource',
    );
  }

  /**
   * Verifies the bearer token of an HTTP request and that it grants every one
   * of `scopes`; remembers the principal for `@OAuthPrincipal()`.
   *
   * @param request - the request `@Req()` gives (Express, Fastify) or an `IncomingMessage`
   * @param scopes - the scopes needed, all of them (none: any valid token)
   * @param response - the response (`@Res({ passthrough: true })`): when given, a refusal's
   *   `WWW-Authenticate` and `Cache-Control` headers are put on it
   * @returns the principal
   * @throws {OAuthBearerException} 400 / 401 / 403, or 502 / 504 when the authorization server fails
   */
  async verifyRequest(
    request: unknown,
    scopes: readonly string[] = [],
    response?: unknown,
  ): Promise<OAuthPrincipal> {
    try {
      return await this.verifySource({ request: httpBearerRequest(request) }, scopes, request);
    } catch (err) {
      const exception = this.toException(err);
      if (response !== undefined) this.applyHeaders(exception, response);
      throw exception;
    }
  }

  /**
   * Verifies a token obtained some other way (a message's payload, a CLI).
   *
   * @param token - the access token (`undefined`: none was sent)
   * @param scopes - the scopes needed, all of them
   * @returns the principal
   * @throws {OAuthBearerException} as {@link OAuthResourceService.verifyRequest}
   */
  async verifyToken(
    token: string | undefined,
    scopes: readonly string[] = [],
  ): Promise<OAuthPrincipal> {
    try {
      return await this.verifySource({ token }, scopes);
    } catch (err) {
      throw this.toException(err);
    }
  }

  /**
   * Verifies a WebSocket's handshake: the `Authorization` header of its
   * upgrade request (or socket.io's `auth: { token }`). Call it from
   * `handleConnection(client, request)`: it also remembers the handshake, so
   * `@RequireOAuth()` on the gateway's message handlers checks the same token
   * on every message (`@nestjs/platform-ws` keeps no link from a client to
   * its upgrade request; socket.io does, and needs no call).
   *
   * @param client - the WebSocket (or socket.io socket)
   * @param request - its upgrade request
   * @param scopes - the scopes needed to stay connected
   * @returns the principal
   * @throws {OAuthBearerException} on refusal: close the socket (1008, policy violation)
   * @example
   * ```ts
   * async handleConnection(client: WebSocket, request: IncomingMessage) {
   *   await this.resource.verifyHandshake(client, request).catch(() => client.close(1008, 'invalid_token'));
   * }
   * ```
   */
  async verifyHandshake(
    client: object,
    request: IncomingMessage,
    scopes: readonly string[] = [],
  ): Promise<OAuthPrincipal> {
    rememberHandshake(client, request);
    try {
      return await this.verifySource(wsBearerSource(client), scopes, client);
    } catch (err) {
      throw this.toException(err);
    }
  }

  /**
   * Verifies the token of a {@link BearerSource} (the core's errors are thrown as they are).
   * @internal
   */
  async verifySource(
    source: BearerSource,
    scopes: readonly string[],
    holder?: unknown,
  ): Promise<OAuthPrincipal> {
    checkRequiredScopes(scopes);
    const { protector } = this;
    const principal =
      'request' in source
        ? await protector.verifyRequest(source.request, scopes)
        : await protector.verifyToken(source.token, scopes);
    if (holder !== null && typeof holder === 'object') setOAuthPrincipal(holder, principal);
    return principal;
  }

  /**
   * The {@link OAuthBearerException} for a failed verification. A failure of
   * the authorization server (502 / 504) or of anything else (500) is logged
   * with the error's class, code and endpoint only, never its message or the token.
   *
   * @param err - what verification threw
   * @throws the error itself when it is a programming mistake (`OAuthConfigError`, `ERR_OAUTH_SCOPE`)
   */
  toException(err: unknown): OAuthBearerException {
    // Programming mistakes (nothing configured, a scope that is not a scope token) stay themselves.
    if (
      err instanceof OAuthConfigError ||
      (err as { code?: unknown })?.code === 'ERR_OAUTH_SCOPE'
    ) {
      throw err;
    }
    const exception = toBearerException(err, this.build()?.realm ?? 'api');
    const status = exception.getStatus();
    if (status >= 500) {
      const line = `bearer token not validated (${status}): ${describeFailure(exception.cause)}`;
      if (status === 500) this.logger.error(line);
      else this.logger.warn(line);
    }
    return exception;
  }

  /**
   * The exception a guard throws in `context`: the `OAuthBearerException`
   * with its headers put on the HTTP response; for a WebSocket a
   * `WsException`, for a microservice an `RpcException`, carrying its body.
   *
   * @param err - what verification threw
   * @param context - the guarded call
   * @internal
   */
  async exceptionFor(err: unknown, context: ExecutionContext): Promise<unknown> {
    const exception = this.toException(err);
    const type = context.getType<string>();
    if (type === 'ws' || type === 'rpc') return contextException(type, exception);
    this.applyHeaders(exception, context.switchToHttp().getResponse());
    return exception;
  }

  /**
   * Puts a refusal's `WWW-Authenticate` and `Cache-Control` on a response,
   * through Nest's HTTP adapter (Express and Fastify alike).
   *
   * @param exception - the refusal
   * @param response - the response object
   */
  applyHeaders(exception: OAuthBearerException, response: unknown): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter || response === null || typeof response !== 'object') return;
    for (const [name, value] of Object.entries(exception.headers)) {
      adapter.setHeader(response, name, value);
    }
  }

  private build(): ResourceProtector | undefined {
    if (this.built) return this.built.protector;
    const given = this.sources.filter((s) => s.code !== undefined);
    if (given.length > 1) {
      // Named in a fixed order: the modules' registration order depends on the app's imports.
      const names = given.map((s) => s.where).sort();
      throw new OAuthConfigError(
        `OAuth resource server: configured twice (${names.join(' and ')}): keep one`,
        names[1],
      );
    }
    const source = given[0] ?? this.sources[0];
    const options = resolveResourceOptions({
      code: source?.code,
      where: source?.where ?? 'OAuthResourceModule',
      defaults: this.sources.find((s) => s.defaults)?.defaults,
      read: createConfigReader(this.config, this.moduleRef),
      lookup: this.findLookup(),
    });
    let protector: ResourceProtector | undefined;
    try {
      protector = options && new ResourceProtector(options);
    } catch (err) {
      if ((err as { code?: unknown })?.code !== 'ERR_OAUTH_RESOURCE_CONFIG') throw err;
      throw new OAuthConfigError(
        `OAuth resource server: ${(err as Error).message}`,
        source?.where ?? 'resource',
      );
    }
    this.built = { protector };
    return protector;
  }

  private findLookup(): unknown {
    try {
      return this.moduleRef.get(OAUTH_ACCESS_TOKEN_LOOKUP, { strict: false });
    } catch {
      return undefined;
    }
  }
}

/** A failure in a log line: class, code, endpoint (origin and path): never a message or a token. */
function describeFailure(err: unknown): string {
  if (err instanceof OAuthError) {
    return `${err.name} (${err.error})${err.endpoint ? ` from ${err.endpoint}` : ''}`;
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.name} (${code})` : err.name;
  }
  return typeof err;
}
