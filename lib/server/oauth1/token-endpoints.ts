/**
 * The two credential endpoints: temporary credentials (RFC 5849 §2.1) and
 * token credentials (§2.3). Both answer a form-encoded body that is never
 * cached.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
 */
import type { ServerRequest, ServerResponse } from '../http/server-request.js';
import { isAcceptableCallback } from './callback-uri.js';
import type {
  OAuth1RequestToken,
  OAuth1ServerClient,
  OAuth1Verifier,
} from './oauth1-server-storage.interface.js';
import { refuse } from './oauth1-provider-error.js';
import type { ProviderContext } from './provider-context.js';
import { requestedRealms } from './realms.js';
import { verifySignedRequest, type SigningToken } from './signed-request.js';

/** What the access-token handler learns about the exchange it may add credentials to. */
export interface OAuth1AccessTokenContext<U = unknown> {
  /** The client. */
  client: OAuth1ServerClient;
  /** The resource owner who approved. */
  user: U;
  /** The realms granted. */
  realms: string[];
  /** The request. */
  request: ServerRequest;
}

/**
 * Returns extra fields for the token-credentials response (`user_id`,
 * `screen_name`, ...), like Flask-OAuthlib's `access_token_handler`; nothing
 * for none. `oauth_token` and `oauth_token_secret` cannot be replaced.
 */
export type OAuth1AccessTokenHandler<U = unknown> = (
  context: OAuth1AccessTokenContext<U>,
) => OAuth1ExtraCredentials | undefined | void | Promise<OAuth1ExtraCredentials | undefined | void>;

/** Extra fields of a token-credentials response. */
export type OAuth1ExtraCredentials = Record<string, string | number | boolean>;

/**
 * A 200 form-encoded credentials response.
 *
 * @internal
 */
export function credentialsResponse(fields: Record<string, string>): ServerResponse {
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    },
    body: new URLSearchParams(fields).toString(),
  };
}

/**
 * Temporary credentials: a request signed with the client credentials only,
 * with `oauth_callback` (`oob` or a registered callback) and optionally
 * realms; answers `oauth_token`, `oauth_token_secret` and
 * `oauth_callback_confirmed=true`.
 *
 * @internal
 */
export async function issueRequestToken<U>(
  ctx: ProviderContext<U>,
  request: ServerRequest,
): Promise<ServerResponse> {
  const { params, client } = await verifySignedRequest(ctx, request, { kind: 'none' }, [
    'oauth_callback',
  ]);
  const callback = params.oauth.get('oauth_callback')!;
  if (!isAcceptableCallback(client, callback)) throw refuse.callback();
  const realms = requestedRealms(params.realm, client, ctx.settings);
  const token = ctx.generate('request_token');
  const secret = ctx.generate('request_token_secret');
  const record: OAuth1RequestToken = {
    token: ctx.lookupKey(token),
    secret,
    clientKey: client.clientKey,
    redirectUri: callback,
    realms,
    expiresAt: ctx.now() + ctx.settings.requestTokenLifetime,
  };
  await ctx.storage.saveRequestToken(record);
  return credentialsResponse({
    oauth_token: token,
    oauth_token_secret: secret,
    oauth_callback_confirmed: 'true',
  });
}

/**
 * Finds a request token for a signed request: it must exist, belong to the
 * client and be unexpired.
 *
 * @internal
 */
export async function findRequestToken<U>(
  ctx: ProviderContext<U>,
  key: string,
  clientKey: string,
): Promise<SigningToken<OAuth1RequestToken>> {
  const record = await ctx.storage.getRequestToken(key);
  if (!record || record.token !== key || record.clientKey !== clientKey) throw refuse.token();
  if (!(record.expiresAt > ctx.now())) throw refuse.tokenExpired();
  return { key, secret: record.secret, record };
}

/**
 * Token credentials: a request signed with the client credentials and an
 * authorized request token, with the `oauth_verifier` issued for that token.
 * The request token is spent (deleted) before the new credentials are
 * issued, so it works once.
 *
 * @internal
 */
export async function issueAccessToken<U>(
  ctx: ProviderContext<U>,
  request: ServerRequest,
  handler?: OAuth1AccessTokenHandler<U>,
): Promise<ServerResponse> {
  const { params, client, token } = await verifySignedRequest(
    ctx,
    request,
    { kind: 'request', find: (key, c) => findRequestToken(ctx, key, c.clientKey) },
    ['oauth_verifier'],
  );
  const requestToken = token!;
  const verifier = await findVerifier(
    ctx,
    params.oauth.get('oauth_verifier')!,
    requestToken.key,
    client,
  );
  const extra = handler
    ? checkExtraCredentials(
        await handler({ client, user: verifier.user, realms: [...verifier.realms], request }),
      )
    : {};
  if (!(await ctx.storage.deleteRequestToken(requestToken.key))) throw refuse.token();
  const accessToken = ctx.generate('access_token');
  const secret = ctx.generate('access_token_secret');
  await ctx.storage.saveAccessToken({
    token: ctx.lookupKey(accessToken),
    secret,
    clientKey: client.clientKey,
    user: verifier.user,
    realms: [...verifier.realms],
  });
  return credentialsResponse({ ...extra, oauth_token: accessToken, oauth_token_secret: secret });
}

async function findVerifier<U>(
  ctx: ProviderContext<U>,
  verifier: string,
  tokenKey: string,
  client: OAuth1ServerClient,
): Promise<OAuth1Verifier<U>> {
  const key = ctx.lookupKey(verifier);
  const record = await ctx.storage.getVerifier(key, tokenKey);
  if (
    !record ||
    record.verifier !== key ||
    record.token !== tokenKey ||
    record.clientKey !== client.clientKey ||
    !(record.expiresAt > ctx.now())
  ) {
    throw refuse.verifier();
  }
  return record;
}

const RESERVED = new Set(['oauth_token', 'oauth_token_secret']);

function checkExtraCredentials(extra: unknown): Record<string, string> {
  if (extra === undefined || extra === null) return {};
  if (typeof extra !== 'object' || Array.isArray(extra)) {
    throw new TypeError(
      'the access-token handler must return an object of extra fields, or nothing',
    );
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) {
    if (RESERVED.has(name)) {
      throw new TypeError(`the access-token handler cannot set ${name}`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError('the access-token handler must return strings, numbers or booleans');
    }
    fields[name] = String(value);
  }
  return fields;
}
