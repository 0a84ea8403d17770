import type { OAuth2Token } from '../core/token.js';
import type { OAuthAnyToken } from '../interfaces/oauth-client-options.interface.js';

/**
 * Published on `@nestjs/event-emitter` after an injected client refreshed a
 * token (payload {@link OAuthTokenUpdatedEvent}).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 */
export const OAUTH_TOKEN_UPDATED_EVENT = 'oauth.token.updated';

/**
 * Published on `@nestjs/event-emitter` after a successful login callback
 * (payload {@link OAuthLoginEvent}).
 */
export const OAUTH_LOGIN_EVENT = 'oauth.login';

/**
 * Payload of {@link OAUTH_TOKEN_UPDATED_EVENT}.
 *
 * @example
 * ```ts
 * @OnEvent(OAUTH_TOKEN_UPDATED_EVENT)
 * save(event: OAuthTokenUpdatedEvent) { return this.tokens.save(event.name, event.token); }
 * ```
 */
export class OAuthTokenUpdatedEvent {
  /**
   * @param name - the client's name
   * @param token - the new token (a rotated refresh token included)
   * @param refreshToken - the refresh token that was used
   * @param accessToken - the access token that was replaced
   * @param request - the HTTP request being served when the refresh happened
   */
  constructor(
    readonly name: string,
    readonly token: OAuth2Token,
    readonly refreshToken?: string,
    readonly accessToken?: string,
    readonly request?: unknown,
  ) {}
}

/** Payload of {@link OAUTH_LOGIN_EVENT}. */
export class OAuthLoginEvent {
  /**
   * @param name - the client's name
   * @param token - the token obtained by the login
   * @param userinfo - the user's claims (ID token claims, or the mapped profile)
   * @param request - the callback request
   */
  constructor(
    readonly name: string,
    readonly token: OAuthAnyToken,
    readonly userinfo: Record<string, unknown> | undefined,
    readonly request?: unknown,
  ) {}
}
