import {
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from '../../server/http/server-request.js';
import type { OAuth1AuthorizationDecision } from '../../server/oauth1/authorization-endpoint.js';
import { OAuth1ProviderError } from '../../server/oauth1/oauth1-provider-error.js';
import type { OAuth1ExtraCredentials } from '../../server/oauth1/token-endpoints.js';
import { setOAuth1RequestData } from '../context/oauth1-request-data.js';
import type { OAuth1EndpointKind } from '../decorators/endpoint-routes.js';
import { OAuth1ResponseException } from '../errors/oauth1-response.exception.js';
import { toServerRequest } from '../http/server-request.factory.js';
import { OAuth1ServerRegistry } from '../oauth1-server.registry.js';

/** How the log names each step. */
const STEP_NAMES: Record<OAuth1EndpointKind | 'resource', string> = {
  request_token: 'request-token endpoint',
  authorize: 'authorization endpoint',
  access_token: 'access-token endpoint',
  resource: 'protected-resource check',
};

/**
 * What the endpoint guard, the endpoint interceptor and the resource guard
 * run: the provider core's calls on the request, and one rule for what goes
 * wrong:
 *
 * - a refusal of the core (`OAuth1ProviderError`): its ready response, unchanged;
 * - an `HttpException` (thrown by a hook or a handler of the app), or any
 *   error of the app's handler: thrown on, for the app's filters;
 * - anything else (the storage failing, an unreadable RSA key): logged by
 *   name only, never its message (it may hold a stored value), and answered
 *   503 through the app's filters. Never a 500.
 *
 * @internal
 */
@Injectable()
export class OAuth1EndpointFlow {
  /**
   * @param registry - the provider and its options
   * @param adapterHost - Nest's HTTP adapter host
   */
  constructor(
    @Inject(OAuth1ServerRegistry) private readonly registry: OAuth1ServerRegistry,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * The consent page's check: the request token named by `oauth_token`
   * exists, is unused and unexpired; its pending authorization is kept for
   * `@OAuth1AuthorizationRequest()`.
   *
   * @throws {OAuth1ResponseException} the core's error page (or `errorUri` redirect)
   */
  async consent(request: unknown, response: unknown): Promise<void> {
    try {
      const serverRequest = await toServerRequest(request, this.registry.origin);
      const pending = await this.registry.provider.authorizationRequest(serverRequest);
      setOAuth1RequestData(request, 'pending', pending);
    } catch (err) {
      throw this.refusal(err, 'authorize', response);
    }
  }

  /**
   * The protected-resource check of `@RequireOAuth1(...realms)`; the
   * verified request is kept for `@OAuth1Principal()`.
   *
   * @throws {OAuth1ResponseException} the core's 400/401/403 (or the `invalidResponse` hook's)
   */
  async resource(request: unknown, response: unknown, realms: readonly string[]): Promise<void> {
    try {
      const serverRequest = await toServerRequest(request, this.registry.origin);
      const oauth = await this.registry.provider.verifyRequest(serverRequest, realms);
      setOAuth1RequestData(request, 'principal', oauth);
    } catch (err) {
      throw this.refusal(err, 'resource', response);
    }
  }

  /**
   * Answers an endpoint the module answers: the request-token endpoint (the
   * handler does not run), the decision (the handler returns it) or the
   * access-token endpoint (the handler returns extra credentials).
   *
   * @param kind - the endpoint
   * @param request - the request `@Req()` gives
   * @param runHandler - runs the route handler, with the app's pipes and parameter decorators
   * @returns the response to send, unchanged
   */
  async answer(
    kind: OAuth1EndpointKind,
    request: unknown,
    runHandler: () => Promise<unknown>,
  ): Promise<ServerResponse> {
    let handlerError: unknown = NO_ERROR;
    const handler = async (check: (value: unknown) => unknown): Promise<any> => {
      try {
        return await check(await runHandler());
      } catch (err) {
        handlerError = err;
        throw err;
      }
    };
    try {
      const provider = this.registry.provider;
      const serverRequest = await toServerRequest(request, this.registry.origin);
      if (kind === 'request_token') return await provider.requestToken(serverRequest);
      if (kind === 'access_token') {
        return await provider.accessToken(serverRequest, (context) => {
          setOAuth1RequestData(request, 'accessToken', context);
          return handler(checkExtraCredentials);
        });
      }
      const pending = await provider.authorizationRequest(serverRequest);
      setOAuth1RequestData(request, 'pending', pending);
      const decision = await handler((value) => this.decision(value, request));
      return (await provider.authorize(serverRequest, decision)).response;
    } catch (err) {
      if (err instanceof OAuth1ProviderError) return err.response;
      if (err === handlerError || err instanceof HttpException) throw err;
      throw this.unavailable(err, kind);
    }
  }

  /** The decision of the consent form's handler: `false`, `true` (the signed-in user) or `{ user, realms? }`. */
  private async decision(
    value: unknown,
    request: unknown,
  ): Promise<OAuth1AuthorizationDecision<unknown>> {
    if (value === false || value === null || value === undefined) return false;
    let user: unknown;
    let realms: unknown;
    if (value === true) {
      const owner = this.registry.options.resourceOwner;
      user = owner ? await owner(request) : (request as { user?: unknown } | null)?.user;
    } else if (typeof value === 'object' && !Array.isArray(value) && 'user' in value) {
      ({ user, realms } = value as { user: unknown; realms?: unknown });
    } else {
      throw new TypeError(
        'an @OAuth1AuthorizeEndpoint() POST handler must return false, true or { user, realms? }',
      );
    }
    if (user === undefined || user === null) {
      throw new ForbiddenException('No signed-in resource owner approved this request');
    }
    // The core refuses realms that are not a subset of those requested (400).
    return realms === undefined ? { user } : { user, realms: realms as string[] };
  }

  /** A refusal for a guard: the core's response, its headers already on the response. */
  private refusal(err: unknown, step: OAuth1EndpointKind | 'resource', response: unknown): unknown {
    if (err instanceof HttpException) return err;
    if (!(err instanceof OAuth1ProviderError)) return this.unavailable(err, step);
    const adapter = this.adapterHost.httpAdapter;
    for (const [name, value] of Object.entries(err.response.headers)) {
      adapter.setHeader(response, name, value);
    }
    return new OAuth1ResponseException(err.response);
  }

  private unavailable(err: unknown, step: OAuth1EndpointKind | 'resource'): HttpException {
    const name = err instanceof Error ? err.name : typeof err;
    const code = (err as { code?: unknown } | null)?.code;
    this.registry.logger.error(
      `OAuth 1 ${STEP_NAMES[step]} failed: ${name}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    return new ServiceUnavailableException('The OAuth 1 provider is unavailable');
  }
}

const NO_ERROR = Symbol('no error');

/**
 * The access-token handler's result: nothing, or flat extra fields that do
 * not replace the credentials (the core checks them again; here a mistake is
 * reported as the handler's, not as the provider failing).
 */
function checkExtraCredentials(value: unknown): OAuth1ExtraCredentials | undefined {
  if (value === undefined || value === null) return undefined;
  const flat =
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.entries(value).every(
      ([name, field]) =>
        name !== 'oauth_token' &&
        name !== 'oauth_token_secret' &&
        ['string', 'number', 'boolean'].includes(typeof field),
    );
  if (!flat) {
    throw new TypeError(
      'an @AccessTokenEndpoint() handler must return nothing, or extra fields (strings, numbers, booleans) other than oauth_token and oauth_token_secret',
    );
  }
  return value as OAuth1ExtraCredentials;
}
