import { MissingTokenError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  readOAuthResponse,
  sendToEndpoint,
  type CallContext,
  type HttpOptions,
} from '../http/fetcher.js';
import { MetadataCache, type AuthorizationServerMetadata } from '../oidc/discovery.js';
import { JwksCache } from '../oidc/jwks.js';
import { describeEndpoint } from '../util/redact.js';
import {
  clientNone,
  clientSecretBasic,
  clientSecretPost,
  createJwtAuth,
  type ClientAuthFunction,
  type ClientAuthRequest,
  type ClientCredentials,
} from './client-auth.js';
import type { ComplianceHook, ComplianceHooks, OAuth2ClientOptions } from './oauth2-types.js';

const BUILTIN_AUTH: Record<string, ClientAuthFunction | undefined> = {
  client_secret_basic: clientSecretBasic,
  client_secret_post: clientSecretPost,
  none: clientNone,
};

const FORM_HEADERS = {
  Accept: 'application/json',
  'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
} as const;

/**
 * Request parameters whose values are public protocol words or identifiers;
 * the value of every other parameter (code, verifier, secret, assertion,
 * refresh token, password, token, and any extra one) is kept out of errors.
 */
const PUBLIC_PARAMS = new Set([
  'grant_type',
  'client_id',
  'client_assertion_type',
  'redirect_uri',
  'scope',
  'token_type_hint',
  'requested_token_type',
  'subject_token_type',
  'actor_token_type',
]);

type ResponseHook = (response: Response) => Response | Promise<Response>;
type RequestHook = (request: ClientAuthRequest) => ClientAuthRequest | Promise<ClientAuthRequest>;

/**
 * What the parts of an {@link OAuth2Client} share: its options and transport,
 * the provider's metadata and keys, client authentication, compliance hooks,
 * and the authenticated POST to the provider's endpoints.
 *
 * @internal
 */
export class OAuth2Context {
  /** Transport settings of every call. */
  readonly http: HttpOptions;
  /** Client authentication methods registered by name. */
  readonly authMethods = new Map<string, ClientAuthFunction>();
  /** Compliance hooks, by kind, in registration order. */
  readonly hooks: { [K in ComplianceHook]: ComplianceHooks[K][] } = {
    accessTokenResponse: [],
    refreshTokenResponse: [],
    protectedRequest: [],
    revokeTokenRequest: [],
    introspectTokenRequest: [],
  };
  /** The server metadata, once loaded (or given). */
  metadata?: AuthorizationServerMetadata;
  private metadataCache?: MetadataCache;
  private jwks?: JwksCache;

  /**
   * @param options - the client's options
   * @param client - the client's credentials; what client authentication functions receive (the client itself)
   */
  constructor(
    readonly options: OAuth2ClientOptions,
    readonly client: ClientCredentials,
  ) {
    this.http = {
      fetch: options.fetch,
      timeout: options.timeout,
      maxResponseBytes: options.maxResponseBytes,
    };
    this.metadata = options.metadata;
  }

  /** The token endpoint: configured, else discovered. */
  get tokenEndpoint(): string | undefined {
    return this.options.tokenEndpoint ?? this.metadata?.token_endpoint;
  }

  /** Loads (once, then cached) the server metadata from `serverMetadataUrl`. */
  async loadServerMetadata(): Promise<AuthorizationServerMetadata> {
    const url = this.options.serverMetadataUrl;
    if (!url) {
      if (this.metadata) return this.metadata;
      throw Object.assign(new TypeError('no serverMetadataUrl is configured'), {
        code: 'ERR_OAUTH_NO_METADATA',
      });
    }
    this.metadataCache ??= new MetadataCache({
      ...this.http,
      ttl: this.options.metadataCacheTtl,
      allowInsecureRequests: this.options.allowInsecureRequests,
    });
    const metadata = await this.metadataCache.get(url);
    this.metadata = metadata;
    return metadata;
  }

  /** Loads the metadata when there is a `serverMetadataUrl`. */
  async loadIfDiscovered(): Promise<void> {
    if (this.options.serverMetadataUrl) await this.loadServerMetadata();
  }

  /** A string member of the (loaded or given) metadata. */
  async discovered(key: keyof AuthorizationServerMetadata): Promise<string | undefined> {
    const metadata = this.options.serverMetadataUrl
      ? await this.loadServerMetadata()
      : this.metadata;
    const value = metadata?.[key];
    return typeof value === 'string' ? value : undefined;
  }

  /** The provider's key set for `jwksUri`; a new `jwks_uri` gets a new cache. */
  keys(jwksUri: string): JwksCache {
    // A new jwks_uri in refreshed metadata gets a new cache: the old keys are not trusted for it.
    if (this.jwks?.jwksUri !== jwksUri) {
      this.jwks = new JwksCache(jwksUri, { ...this.http, ttl: this.options.metadataCacheTtl });
    }
    return this.jwks;
  }

  /** Adds client authentication (the configured method) to a form POST to `endpoint`. */
  async authenticate(
    endpoint: string,
    body: URLSearchParams,
    extraHeaders?: HeadersInit,
  ): Promise<ClientAuthRequest> {
    const headers = new Headers(FORM_HEADERS);
    if (extraHeaders) new Headers(extraHeaders).forEach((value, key) => headers.set(key, value));
    return this.resolveAuthMethod()(this.client, 'POST', endpoint, headers, body);
  }

  /**
   * POSTs an authenticated form to the token endpoint and reads the token
   * response (after the response hooks).
   * @throws {MissingTokenError} when a success response has no `access_token`
   */
  async postToTokenEndpoint(
    endpoint: string,
    body: URLSearchParams,
    secrets: (string | undefined)[],
    extraHeaders: HeadersInit | undefined,
    responseHooks: ResponseHook[],
  ): Promise<Record<string, unknown>> {
    const request = await this.authenticate(endpoint, body, extraHeaders);
    let response = await this.send(request);
    for (const hook of responseHooks) response = await hook(response);
    const raw = await readOAuthResponse(response, this.callContext(request, secrets));
    if (typeof raw.access_token !== 'string' || raw.access_token === '') {
      throw new MissingTokenError({ endpoint: describeEndpoint(request.url) });
    }
    return raw;
  }

  /** POSTs an authenticated form (after the request hooks), returning the response unread. */
  async postForm(
    endpoint: string,
    body: URLSearchParams,
    hooks: RequestHook[],
  ): Promise<{ response: Response; request: ClientAuthRequest }> {
    let request = await this.authenticate(endpoint, body);
    for (const hook of hooks) request = await hook(request);
    return { response: await this.send(request), request };
  }

  /**
   * What an error about this request may say, and the values it must never
   * repeat: every non-public value of the body, the `Authorization` credential,
   * the client secret.
   */
  callContext(request: ClientAuthRequest, secrets: (string | undefined)[]): CallContext {
    const credential = request.headers.get('authorization')?.split(' ')[1];
    const sent: string[] = [];
    for (const [name, value] of request.body) if (!PUBLIC_PARAMS.has(name)) sent.push(value);
    return {
      endpoint: describeEndpoint(request.url),
      timeout: this.http.timeout ?? DEFAULT_TIMEOUT,
      // A response hook may hand back a new Response: the cap comes with the context.
      maxBytes: this.http.maxResponseBytes,
      secrets: [...secrets, ...sent, credential, this.client.clientSecret],
    };
  }

  private send(request: ClientAuthRequest): Promise<Response> {
    return sendToEndpoint(
      request.url,
      { method: 'POST', headers: request.headers, body: request.body },
      this.http,
    );
  }

  private resolveAuthMethod(): ClientAuthFunction {
    const method = this.options.tokenEndpointAuthMethod ?? 'client_secret_basic';
    if (typeof method === 'function') return method;
    let fn = this.authMethods.get(method) ?? BUILTIN_AUTH[method];
    if (!fn && (method === 'client_secret_jwt' || method === 'private_key_jwt')) {
      fn = createJwtAuth(method as 'client_secret_jwt' | 'private_key_jwt', this.options);
      this.authMethods.set(method, fn);
    }
    if (!fn) {
      throw Object.assign(new TypeError(`unknown token endpoint auth method: ${method}`), {
        code: 'ERR_OAUTH_AUTH_METHOD',
      });
    }
    return fn;
  }
}
