/**
 * Protected-resource requests (RFC 5849 §3): signed with the client
 * credentials and token credentials, checked against the realms the resource
 * requires.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3
 */
import type { ServerRequest } from '../http/server-request.js';
import type { OAuth1AccessToken, OAuth1ServerClient } from './oauth1-server-storage.interface.js';
import { refuse } from './oauth1-provider-error.js';
import type { ProviderContext } from './provider-context.js';
import { coversRealms } from './realms.js';
import { verifySignedRequest, type SigningToken } from './signed-request.js';
import type { OAuth1Transport } from './request-parameters.js';

/**
 * A verified protected-resource request (the seed's `request.oauth`).
 *
 * @typeParam U - the app's user type
 */
export interface OAuth1RequestAuthorization<U = unknown> {
  /** The client that signed. */
  client: OAuth1ServerClient;
  /** The resource owner the token stands for. */
  user: U;
  /** The realms the token grants (not only those the resource required). */
  realms: string[];
  /** The token credentials record, without its secret. */
  token: Omit<OAuth1AccessToken<U>, 'secret'>;
  /** Where the protocol parameters were. */
  transport: OAuth1Transport;
}

/**
 * Checks a protected-resource request.
 *
 * @internal
 */
export async function verifyResourceRequest<U>(
  ctx: ProviderContext<U>,
  request: ServerRequest,
  realms: readonly string[],
): Promise<OAuth1RequestAuthorization<U>> {
  const { client, token, params } = await verifySignedRequest(ctx, request, {
    kind: 'access',
    find: (key, c) => findAccessToken(ctx, key, c.clientKey),
  });
  const record = token!.record;
  if (!coversRealms(record.realms, realms)) throw refuse.permission();
  const { secret: _secret, ...withoutSecret } = record;
  return {
    client,
    user: record.user,
    realms: [...record.realms],
    token: withoutSecret,
    transport: params.transport!,
  };
}

async function findAccessToken<U>(
  ctx: ProviderContext<U>,
  key: string,
  clientKey: string,
): Promise<SigningToken<OAuth1AccessToken<U>>> {
  const record = await ctx.storage.getAccessToken(key);
  if (!record || record.token !== key || record.clientKey !== clientKey) throw refuse.token();
  if (record.expiresAt !== undefined && !(record.expiresAt > ctx.now())) {
    throw refuse.tokenExpired();
  }
  return { key, secret: record.secret, record };
}
