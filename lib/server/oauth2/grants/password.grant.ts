import { invalidGrant } from '../errors.js';
import { allowsGrantType } from '../oauth2-server-client.js';
import { grantableScope, parseScope } from '../scope.js';
import { issueTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

/**
 * The resource owner password credentials grant (RFC 6749 §4.3), through the
 * storage's `getUser` (the seed's `usergetter`); the server offers it only
 * when the storage has that method, and only to clients listing `password`.
 */
export const passwordGrant: GrantHandler = async ({ ctx, client, params }) => {
  const username = params.require('username');
  const password = params.require('password');
  const scope = grantableScope(
    client,
    parseScope(params.get('scope')),
    ctx.options.scopesSupported,
  );
  const user = await ctx.storage.getUser?.(username, password, client);
  if (!user || typeof user.sub !== 'string' || user.sub === '') {
    throw invalidGrant('the username or password is wrong');
  }
  const issued = await issueTokens(ctx, {
    client,
    scope,
    subject: user.sub,
    refreshToken: allowsGrantType(client, 'refresh_token'),
    idToken: scope.includes('openid'),
    authTime: ctx.now(),
  });
  return issued.body;
};
