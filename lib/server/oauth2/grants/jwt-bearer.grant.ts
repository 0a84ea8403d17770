import { invalidGrant } from '../errors.js';
import { verifyJwtAssertion } from '../jwt-assertion.js';
import { grantableScope, parseScope } from '../scope.js';
import { issueTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

/**
 * The JWT bearer grant (RFC 7523 §2.1, §3): the client's own signed
 * assertion (`iss` = its client id) is the grant; `sub` is the client itself
 * or, through `jwtBearer.getUser`, a user it acts for. Assertions are single
 * use (`jti`). No refresh token: the client signs a new assertion instead.
 */
export const jwtBearerGrant: GrantHandler = async ({ ctx, client, params }) => {
  const assertion = params.require('assertion');
  const claims = await verifyJwtAssertion(ctx, assertion, {
    client,
    audiences: [ctx.endpoints.token, ctx.issuer],
    keys: 'any',
    fail: (description) => invalidGrant(description),
  });
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw invalidGrant('the assertion has no subject');
  let subject: string | undefined;
  if (sub !== client.clientId) {
    const options = typeof ctx.options.jwtBearer === 'object' ? ctx.options.jwtBearer : {};
    const user = await options.getUser?.(sub, client, claims);
    if (!user || typeof user.sub !== 'string' || user.sub === '') {
      throw invalidGrant('the client may not act for this subject');
    }
    subject = user.sub;
  }
  const scope = grantableScope(
    client,
    parseScope(params.get('scope')),
    ctx.options.scopesSupported,
  );
  const issued = await issueTokens(ctx, { client, scope, subject, refreshToken: false });
  return issued.body;
};
