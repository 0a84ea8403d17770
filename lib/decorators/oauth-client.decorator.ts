import { Inject } from '@nestjs/common';
import { getOAuthClientToken } from '../utils/get-oauth-client-token.util.js';

/**
 * Injects the client registered as `name` (an `OAuth2App` or `OAuth1App`).
 *
 * @param name - the client's name
 * @example
 * ```ts
 * constructor(@OAuthClient('github') private readonly github: OAuth2App) {}
 * ```
 */
export const OAuthClient = (name: string): PropertyDecorator & ParameterDecorator =>
  Inject(getOAuthClientToken(name));
