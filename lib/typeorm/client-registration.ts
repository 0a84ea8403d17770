import type { OAuth2ServerClient } from '../server/oauth2/oauth2-server-client.js';

/**
 * A client to register: everything of {@link OAuth2ServerClient} but the
 * stored secret forms. `clientId` and, for the secret-based methods,
 * `clientSecret` are generated when not given.
 */
export interface OAuth2ClientRegistration extends Omit<
  OAuth2ServerClient,
  'clientId' | 'clientSecret' | 'clientSecretHash'
> {
  /** The client identifier; default 22 random URL-safe characters (128 bits). */
  clientId?: string;
  /**
   * The secret, for `client_secret_basic`, `client_secret_post` and
   * `client_secret_jwt` clients; default 256 random bits. Give one only to
   * import an existing client: a generated secret is the safe choice.
   */
  clientSecret?: string;
}

/** What `TypeOrmOAuth2ServerStorage.registerClient()` returns. */
export interface RegisteredOAuth2Client {
  /** The client as the server sees it (`getClient`), without its secret. */
  client: OAuth2ServerClient;
  /** The client identifier. */
  clientId: string;
  /**
   * The secret in clear, for a client that has one: show it to the client's
   * owner **once**; only its hash (or, for `client_secret_jwt`, its sealed
   * form) is stored, and it cannot be read back.
   */
  clientSecret?: string;
}

/** Token endpoint authentication methods that use a client secret. */
export const SECRET_METHODS: ReadonlySet<string> = new Set([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
]);

const KNOWN_METHODS = new Set([...SECRET_METHODS, 'none', 'private_key_jwt']);

function configError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_CLIENT_REGISTRATION' });
}

/**
 * Checks a registration before anything is stored: a client id of 1–255
 * printable characters, absolute redirect URIs without a fragment (RFC 6749
 * §3.1.2), a known authentication method, and a secret only for a method that
 * uses one.
 *
 * @throws {TypeError} (`ERR_OAUTH_CLIENT_REGISTRATION`) naming the field
 */
export function checkRegistration(
  registration: OAuth2ClientRegistration,
  method: string,
  clientId: string,
): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(clientId)) {
    throw configError('clientId must be 1 to 255 printable ASCII characters');
  }
  if (!KNOWN_METHODS.has(method)) {
    throw configError(`tokenEndpointAuthMethod ${JSON.stringify(method)} is not supported`);
  }
  if (registration.clientSecret !== undefined && !SECRET_METHODS.has(method)) {
    throw configError(`a ${method} client has no secret: leave clientSecret out`);
  }
  if (registration.clientSecret !== undefined && registration.clientSecret.length < 16) {
    throw configError('clientSecret must be at least 16 characters');
  }
  if (!Array.isArray(registration.redirectUris)) {
    throw configError('redirectUris must be an array of absolute URLs');
  }
  const uris = [...registration.redirectUris];
  if (registration.defaultRedirectUri !== undefined) uris.push(registration.defaultRedirectUri);
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw configError('every redirect URI must be an absolute URL');
    }
    if (url.hash !== '' || uri.includes('#')) {
      throw configError('a redirect URI must not have a fragment (RFC 6749 §3.1.2)');
    }
  }
  if (
    registration.defaultRedirectUri !== undefined &&
    !registration.redirectUris.includes(registration.defaultRedirectUri)
  ) {
    throw configError('defaultRedirectUri must be one of redirectUris');
  }
}
