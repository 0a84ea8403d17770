import type { ConfigurableModuleAsyncOptions, Type } from '@nestjs/common';
import type { ServerRequest, ServerResponse } from '../../server/http/server-request.js';
import type { OAuth1ProviderError } from '../../server/oauth1/oauth1-provider-error.js';
import type { OAuth1ServerSettings } from '../../server/oauth1/oauth1-server-settings.js';
import type { OAuth1ServerStorage } from '../../server/oauth1/oauth1-server-storage.interface.js';
import type { OAuth1TokenGenerator } from '../../server/oauth1/provider-context.js';
import type { OAuth1RequestAuthorization } from '../../server/oauth1/resource-request.js';

/**
 * The storage of {@link OAuth1ServerModuleOptions}: an instance, or an
 * injectable class that Nest builds (with its own dependencies).
 *
 * @typeParam U - the app's user type
 */
export type OAuth1ServerStorageOption<U = unknown> =
  OAuth1ServerStorage<U> | Type<OAuth1ServerStorage<U>>;

/**
 * Hooks around protected-resource requests (`@RequireOAuth1()`,
 * `OAuth1ServerService.verifyRequest()`), as Flask-OAuthlib's
 * `before_request`, `after_request` and `invalid_response`. Each also gets the
 * request `@Req()` gives (Express `Request`, `FastifyRequest`).
 *
 * @typeParam U - the app's user type
 */
export interface OAuth1ServerHooks<U = unknown> {
  /** Runs before a protected-resource request is checked. */
  beforeRequest?(request: ServerRequest, httpRequest: any): void | Promise<void>;
  /**
   * Runs after the check, with its outcome. Returning `false` refuses a valid
   * request (403 `permission_denied`); a refused request stays refused.
   */
  afterRequest?(
    valid: boolean,
    oauth: OAuth1RequestAuthorization<U> | undefined,
    request: ServerRequest,
    httpRequest: any,
  ): boolean | void | Promise<boolean | void>;
  /** Builds the response to a refused protected-resource request; nothing keeps the default. */
  invalidResponse?(
    error: OAuth1ProviderError,
    request: ServerRequest,
    httpRequest: any,
  ): ServerResponse | void | Promise<ServerResponse | void>;
}

/**
 * Options of {@link OAuth1ServerModule}: the storage, the provider settings
 * (each also read from `ConfigService` as `OAUTH1_PROVIDER_*`; code wins),
 * the public origin and the hooks. Keys in Flask-OAuthlib's snake_case
 * (`enforce_ssl`) are accepted; an unknown key fails at start-up naming the
 * nearest known one.
 *
 * @typeParam U - the app's user type
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
export interface OAuth1ServerModuleOptions<U = unknown>
  extends OAuth1ServerSettings, OAuth1ServerHooks<U> {
  /**
   * Where clients, tokens, verifiers and nonces live: an instance, or an
   * injectable class Nest builds. Given to `forRoot`, the class's
   * dependencies come from global modules; for others, use
   * `forRootAsync({ imports, storage })`.
   */
  storage?: OAuth1ServerStorageOption<U>;
  /**
   * The origin clients reach the app at and sign for (`https://photos.example.net`),
   * or `OAUTH1_PROVIDER_ORIGIN`. OAuth 1 signatures cover the URL, and
   * `enforceSsl` refuses every `http:` one: behind a TLS-terminating proxy,
   * set this, or let the framework trust the proxy (Express `trust proxy`,
   * Fastify `trustProxy`), which makes the request's protocol `https`.
   * Default: the request's protocol and `Host`.
   */
  origin?: string;
  /**
   * The resource owner signed in on the consent form's POST, for a decision
   * handler that returns `true` (default: `request.user`, where Passport puts it).
   */
  resourceOwner?: (httpRequest: any) => U | null | undefined | Promise<U | null | undefined>;
  /** The clock in epoch seconds (default: the real one). */
  now?: () => number;
  /** Makes token keys, secrets and verifiers (default: CSPRNG, base64url). */
  generateToken?: OAuth1TokenGenerator;
}

/** Implemented by a class given to `forRootAsync({ useClass | useExisting })`. */
export interface OAuth1ServerOptionsFactory<U = unknown> {
  /** Returns the module options. */
  createOAuth1ServerOptions(): OAuth1ServerModuleOptions<U> | Promise<OAuth1ServerModuleOptions<U>>;
}

/**
 * Options of `OAuth1ServerModule.forRootAsync()`: Nest's `useFactory` /
 * `useClass` / `useExisting` with `imports` and `inject`, plus a storage
 * class Nest builds (or give the storage from the factory).
 *
 * @typeParam U - the app's user type
 */
export interface OAuth1ServerModuleAsyncOptions<U = unknown> extends ConfigurableModuleAsyncOptions<
  OAuth1ServerModuleOptions<U>,
  'createOAuth1ServerOptions'
> {
  /** An injectable storage class, built by Nest (its dependencies from `imports` or global modules). */
  storage?: Type<OAuth1ServerStorage<U>>;
  /** Registers the module globally (default `true`). */
  isGlobal?: boolean;
}
