import { OAuth2ServerError } from '../errors.js';
import { isPublicClient } from '../oauth2-server-client.js';
import { grantableScope, parseScope } from '../scope.js';
import { issueTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

/**
 * The client credentials grant (RFC 6749 §4.4): confidential clients only,
 * no refresh token, no user.
 */
export const clientCredentialsGrant: GrantHandler = async ({ ctx, client, params }) => {
  if (isPublicClient(client)) {
    throw new OAuth2ServerError(
      'unauthorized_client',
      'a public client cannot use client_credentials',
    );
  }
  const scope = grantableScope(
    client,
    parseScope(params.get('scope')),
    ctx.options.scopesSupported,
  );
  const issued = await issueTokens(ctx, { client, scope, refreshToken: false });
  return issued.body;
};
