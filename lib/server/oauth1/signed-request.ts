/**
 * The checks every signed request goes through (RFC 5849 §3.2), in the order
 * that reveals the least to a caller who cannot sign: transport, syntax,
 * signature method, timestamp, client, token, signature, and only then the
 * nonce, which is saved once the signature holds.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
 */
import {
  baseStringFromParameters,
  type OAuth1SignatureMethod,
} from '../../core/oauth1/signature.js';
import { verifySignature } from '../../core/oauth1/signature-verify.js';
import type { ServerRequest } from '../http/server-request.js';
import type { OAuth1NonceKey, OAuth1ServerClient } from './oauth1-server-storage.interface.js';
import { refuse } from './oauth1-provider-error.js';
import type { ProviderContext } from './provider-context.js';
import { collectParameters, requestUrl, type CollectedParameters } from './request-parameters.js';

/** The token a request is signed with, as the endpoint looked it up. @internal */
export interface SigningToken<T> {
  /** The token's lookup key. */
  key: string;
  /** The token secret. */
  secret: string;
  /** The record, for the endpoint. */
  record: T;
}

/** What kind of token an endpoint expects. @internal */
export type TokenRule<T> =
  | { kind: 'none' }
  | {
      kind: 'request' | 'access';
      /** Finds the token by its lookup key for this client; throws a refusal when unusable. */
      find(key: string, client: OAuth1ServerClient): Promise<SigningToken<T>>;
    };

/** A request whose signature, timestamp and nonce checked out. @internal */
export interface VerifiedRequest<T> {
  params: CollectedParameters;
  client: OAuth1ServerClient;
  token?: SigningToken<T>;
}

const REQUIRED = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
];
/** Parameters whose length the `keyLength` setting bounds. */
const BOUNDED = ['oauth_consumer_key', 'oauth_token', 'oauth_nonce', 'oauth_verifier'];
const TIMESTAMP = /^\d{1,12}$/;
const MAX_CALLBACK_LENGTH = 2048;
const MAX_SIGNATURE_LENGTH = 2048;

/**
 * Checks a signed request.
 *
 * @internal
 * @param ctx - the provider
 * @param request - the request
 * @param rule - the token the endpoint expects
 * @param extraRequired - other parameters the endpoint needs (`oauth_callback`, `oauth_verifier`)
 * @throws {OAuth1ProviderError} for any check that fails
 */
export async function verifySignedRequest<U, T>(
  ctx: ProviderContext<U>,
  request: ServerRequest,
  rule: TokenRule<T>,
  extraRequired: readonly string[] = [],
): Promise<VerifiedRequest<T>> {
  const { settings, storage } = ctx;
  const url = requestUrl(request);
  if (settings.enforceSsl && url.protocol !== 'https:') throw refuse.insecureTransport();
  const params = collectParameters(request);
  const oauth = params.oauth;

  // Presence and shape (400).
  const required = rule.kind === 'none' ? [...REQUIRED] : [...REQUIRED, 'oauth_token'];
  const missing = [...required, ...extraRequired].filter((name) => !oauth.get(name));
  if (missing.length > 0) throw refuse.absent(missing);
  if (rule.kind === 'none' && oauth.get('oauth_token')) {
    throw refuse.rejected('oauth_token', 'is not expected on this request');
  }
  const version = oauth.get('oauth_version');
  if (version !== undefined && version !== '1.0') throw refuse.version();
  const method = oauth.get('oauth_signature_method')! as OAuth1SignatureMethod;
  if (!settings.signatureMethods.includes(method)) throw refuse.method();
  if (method === 'PLAINTEXT' && url.protocol !== 'https:') throw refuse.plaintextOverHttp();
  const timestampText = oauth.get('oauth_timestamp')!;
  if (!TIMESTAMP.test(timestampText)) {
    throw refuse.rejected('oauth_timestamp', 'must be a whole number of seconds');
  }
  const [minLength, maxLength] = settings.keyLength;
  for (const name of BOUNDED) {
    const value = oauth.get(name);
    if (value !== undefined && (value.length < minLength || value.length > maxLength)) {
      throw refuse.rejected(name, 'has an unacceptable length');
    }
  }
  if ((oauth.get('oauth_callback')?.length ?? 0) > MAX_CALLBACK_LENGTH) {
    throw refuse.rejected('oauth_callback', 'is too long');
  }
  const signature = oauth.get('oauth_signature')!;
  if (signature.length > MAX_SIGNATURE_LENGTH) throw refuse.signature();

  // Freshness (401).
  const now = ctx.now();
  const timestamp = Number(timestampText);
  if (Math.abs(now - timestamp) > settings.timestampWindow) {
    throw refuse.timestamp(now, settings.timestampWindow);
  }

  // Credentials (401).
  const clientKey = oauth.get('oauth_consumer_key')!;
  const client = await storage.getClient(clientKey);
  if (!client || client.clientKey !== clientKey) throw refuse.client();
  const rsa = method.startsWith('RSA-');
  if (rsa ? !client.rsaKey : !client.clientSecret) throw refuse.methodWithoutKey();
  const token =
    rule.kind === 'none'
      ? undefined
      : await rule.find(ctx.lookupKey(oauth.get('oauth_token')!), client);

  const baseString = baseStringFromParameters(request.method, url, params.all);
  const valid = verifySignature(method, baseString, signature, {
    clientSecret: client.clientSecret,
    tokenSecret: token?.secret ?? '',
    rsaKey: client.rsaKey,
  });
  if (!valid) throw refuse.signature();

  // Replay (401): only a request that verified may spend a nonce.
  const nonceKey: OAuth1NonceKey = { clientKey, timestamp, nonce: oauth.get('oauth_nonce')! };
  if (token && rule.kind === 'request') nonceKey.requestToken = token.key;
  if (token && rule.kind === 'access') nonceKey.accessToken = token.key;
  if (await storage.getNonce(nonceKey)) throw refuse.nonce();
  const saved = await storage.saveNonce({
    ...nonceKey,
    expiresAt: timestamp + settings.timestampWindow + 1,
  });
  if (saved === false) throw refuse.nonce();

  return token ? { params, client, token } : { params, client };
}
