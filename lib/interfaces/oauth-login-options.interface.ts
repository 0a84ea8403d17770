/**
 * Parameters of one authorization request, on top of the client's
 * `authorizeParams`: OpenID Connect's `prompt`, `login_hint`, `max_age`,
 * `acr_values`, `ui_locales`, another `scope` (step-up), any provider
 * parameter, and `redirectUri` for this login. The library's own parameters
 * (`state`, `nonce`, PKCE, `client_id`, `response_type`, `redirect_uri`) cannot
 * be set here.
 *
 * @example
 * ```ts
 * { prompt: 'consent', login_hint: 'alice@example.com', max_age: 300, scope: 'openid email repo' }
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export interface OAuthAuthorizeParams {
  /** `prompt` (`login`, `consent`, `select_account`, `none`). */
  prompt?: string;
  /** `login_hint`: the user's e-mail or name, to pre-fill the provider's form. */
  login_hint?: string;
  /** `max_age` in seconds; the ID token's `auth_time` is then checked against it. */
  max_age?: number | string;
  /** `acr_values`: the authentication context classes asked for. */
  acr_values?: string;
  /** `ui_locales`: the user's preferred languages. */
  ui_locales?: string;
  /** The scope to ask for instead of the client's (step-up). */
  scope?: string;
  /** The redirect URI of this login (absolute, or a path on the request's origin). */
  redirectUri?: string;
  /** Any other authorization request parameter. */
  [param: string]: string | number | boolean | undefined;
}

/**
 * Static options of a login guard: `OAuthLoginGuard('google', options)`.
 *
 * @example
 * ```ts
 * @UseGuards(OAuthLoginGuard('google', { authorizeParams: { prompt: 'consent' }, query: ['login_hint'] }))
 * ```
 */
export interface OAuthLoginGuardOptions {
  /** Parameters added to every authorization request of this route. */
  authorizeParams?: OAuthAuthorizeParams;
  /**
   * Query parameters of the login request passed through to the
   * authorization request (none by default): any of `prompt`, `login_hint`,
   * `max_age`, `acr_values`, `ui_locales`, `scope`, `display`,
   * `claims_locales`, `id_token_hint`. One value each, at most 512 characters.
   */
  query?: readonly OAuthPassThroughParam[];
}

/** The query parameters a login route may pass through to the provider, when its guard lists them. */
export type OAuthPassThroughParam =
  | 'prompt'
  | 'login_hint'
  | 'max_age'
  | 'acr_values'
  | 'ui_locales'
  | 'scope'
  | 'display'
  | 'claims_locales'
  | 'id_token_hint';
