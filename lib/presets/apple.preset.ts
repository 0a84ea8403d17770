import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ClientAuthFunction } from '../core/oauth2/client-auth.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions, StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  optionalBoolean,
  optionalString,
  requireSub,
  presetError,
  toSub,
} from './preset.util.js';

const APPLE_ISSUER = 'https://appleid.apple.com';
const ACCESS_TOKEN_URL = 'https://appleid.apple.com/auth/token';
/** Apple refuses client secrets that live longer than six months. */
const MAX_SECRET_LIFETIME = 15_777_000;

/**
 * Apple's ID token claims, the fields the mapping reads (Apple has no
 * UserInfo endpoint; the name is only posted once, on the first login).
 * @see https://developer.apple.com/documentation/signinwithapplerestapi/authenticating-users-with-sign-in-with-apple
 */
export interface AppleProfile {
  /** The user's unique, stable identifier for your team. */
  sub: string;
  /** The user's e-mail address, possibly a private relay address. */
  email?: string;
  /** `true` or the string `"true"`. */
  email_verified?: boolean | string;
  /** Whether `email` is a private relay address (`...@privaterelay.appleid.com`). */
  is_private_email?: boolean | string;
  [key: string]: unknown;
}

/** Options of `presets.apple()`: the signing key that makes the client secret, and any client option. */
export interface ApplePresetOptions extends PresetOptions<'appleid'> {
  /** The Apple Developer team id (the client secret's `iss`). */
  teamId: string;
  /** The id of the "Sign in with Apple" key (the client secret's `kid`). */
  keyId: string;
  /** The key's `.p8` file content (a PKCS#8 PEM, P-256), or a KeyObject. */
  privateKey: string | KeyObject;
  /** Lifetime of each generated client secret in seconds (default 3600, at most six months). */
  secretLifetime?: number;
}

/**
 * Client options for "Sign in with Apple" (OpenID Connect).
 * Env keys: `APPLE_CLIENT_ID` (the Services ID); no `APPLE_CLIENT_SECRET`:
 * the secret is an ES256 JWT this preset signs with `privateKey` and renews
 * before it expires. Host for `baseUrls`: `appleid` (https://appleid.apple.com).
 *
 * Quirks: with the `name`/`email` scopes Apple answers with
 * `response_mode=form_post`, so the callback route must accept POST; the
 * user's name is only in that first POST (field `user`), never in the ID
 * token: the mapping reads it from there; `email` may be a private relay
 * address; `email_verified` is a string.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) when the key is missing or not a private key
 * @example
 * ```ts
 * presets.apple({ teamId: 'ABCDE12345', keyId: 'KEY1234567', privateKey: readFileSync('AuthKey.p8', 'utf8') });
 * ```
 * @see https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-3
 */
export const apple = definePreset<'appleid', ApplePresetOptions>({
  name: 'apple',
  title: 'Sign in with Apple',
  docs: 'https://developer.apple.com/documentation/signinwithapplerestapi/authenticating-users-with-sign-in-with-apple',
  protocol: 'oidc',
  hosts: { appleid: APPLE_ISSUER },
  pkce: 'S256',
  clientAuth: { label: 'ES256 client-secret JWT, renewed by the library' },
  clientAuthFor: (o) => appleClientSecret(o),
  scope: 'openid name email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified'],
  quirks: [
    { id: 'apple-form-post', summary: '`response_mode=form_post`: the callback is a POST' },
    {
      id: 'apple-client-secret',
      summary: 'the client secret is an ES256 JWT the preset signs and renews before it expires',
    },
    {
      id: 'apple-first-login-name',
      summary:
        'the name comes only in the first callback (`user` form field), never in the ID token',
    },
  ],
  params: ['teamId', 'keyId', 'privateKey', 'secretLifetime'],
  example: { teamId: 'ABCDE12345', keyId: 'KEY1234567' },
  endpoints: (h) => ({
    serverMetadataUrl: `${h.appleid}/.well-known/openid-configuration`,
    authorizeUrl: `${h.appleid}/auth/authorize`,
    accessTokenUrl: `${h.appleid}/auth/token`,
    revocationEndpoint: `${h.appleid}/auth/revoke`,
    authorizeParams: { response_mode: 'form_post' },
  }),
  profile: (user, _token, context) => ({
    ...appleProfile(user),
    ...firstLoginName(context.authorizationResponse?.get('user')),
  }),
});

/**
 * The name Apple posts once, on the user's first login, as the JSON field
 * `user` of the form_post callback: `{ "name": { "firstName", "lastName" } }`.
 */
function firstLoginName(posted: string | null | undefined): Record<string, string> {
  if (!posted) return {};
  let value: unknown;
  try {
    value = JSON.parse(posted);
  } catch {
    return {};
  }
  const name = (value as { name?: { firstName?: unknown; lastName?: unknown } } | null)?.name;
  const given = optionalString(name?.firstName);
  const family = optionalString(name?.lastName);
  const full = [given, family].filter(Boolean).join(' ');
  return compact({ name: full || undefined, given_name: given, family_name: family }) as Record<
    string,
    string
  >;
}

/**
 * A client authentication method for Apple's token endpoint: posts
 * `client_id` and a `client_secret` that is an ES256 JWT (`iss` team id,
 * `sub` client id, `aud` `https://appleid.apple.com`), signed once and
 * reused until a minute before it expires.
 *
 * @param options - team id, key id, private key and secret lifetime
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) when the key is missing or not a private key
 * @see https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret
 */
export function appleClientSecret(
  options: Pick<ApplePresetOptions, 'teamId' | 'keyId' | 'privateKey' | 'secretLifetime'>,
): ClientAuthFunction {
  const { teamId, keyId } = options;
  if (!teamId || !keyId || !options.privateKey) {
    throw presetError('presets.apple() needs teamId, keyId and privateKey');
  }
  const key = importKey(options.privateKey);
  const lifetime = Math.min(Math.max(options.secretLifetime ?? 3600, 60), MAX_SECRET_LIFETIME);
  let cached: { clientId: string; secret: string; expiresAt: number } | undefined;
  return async (client, _method, url, headers, body) => {
    const clientId = client.clientId ?? '';
    const now = Math.floor(Date.now() / 1000);
    if (!cached || cached.clientId !== clientId || cached.expiresAt - 60 <= now) {
      const secret = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: keyId })
        .setIssuer(teamId)
        .setSubject(clientId)
        .setAudience(APPLE_ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(key);
      cached = { clientId, secret, expiresAt: now + lifetime };
    }
    body.set('client_id', clientId);
    body.set('client_secret', cached.secret);
    return { url, headers, body };
  };
}

/**
 * Maps Apple's ID token claims to standard claims (`email_verified` and
 * `is_private_email` become booleans).
 *
 * @param raw - a {@link AppleProfile}: the ID token claims
 * @throws {InvalidResponseError} when `raw` is not an object or has no `sub`
 */
export function appleProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, ACCESS_TOKEN_URL);
  return compact({
    sub: requireSub(toSub(user.sub), ACCESS_TOKEN_URL),
    email: optionalString(user.email),
    email_verified: optionalBoolean(user.email_verified),
    is_private_email: optionalBoolean(user.is_private_email),
  });
}

function importKey(privateKey: string | KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  } catch (cause) {
    throw Object.assign(presetError('presets.apple(): privateKey is not a PEM private key'), {
      cause,
    });
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ec') {
    throw presetError('presets.apple(): privateKey must be an EC (P-256) private key');
  }
  return key;
}
