import { OAuthConfigError } from '../../errors/oauth-config.error.js';

/**
 * The core's start-up error (`ERR_OAUTH_SERVER_CONFIG`, `ERR_OAUTH_INVALID_KEY`)
 * as an `OAuthConfigError` naming the setting as the user wrote it (its
 * config name when it came from `ConfigService`). Anything else is returned
 * as it is.
 *
 * @param err - what the core's constructor threw
 * @param sources - where each setting came from
 * @internal
 */
export function coreConfigError(err: unknown, sources: Readonly<Record<string, string>>): unknown {
  const code = (err as { code?: unknown })?.code;
  if (code !== 'ERR_OAUTH_SERVER_CONFIG' && code !== 'ERR_OAUTH_INVALID_KEY') return err;
  const message = String((err as Error).message).replace(/^OAuth2 server: /, '');
  const key =
    code === 'ERR_OAUTH_INVALID_KEY'
      ? 'keys'
      : (['issuer', 'storage', 'grantCache', ...Object.keys(sources)].find((k) =>
          message.startsWith(k),
        ) ?? (message.includes('storage') ? 'storage' : undefined));
  const named = key ? (sources[key] ?? key) : undefined;
  const fix =
    code === 'ERR_OAUTH_INVALID_KEY'
      ? `${named} holds a key that cannot sign ID tokens (${message}): give private keys (PEM: PKCS#8, PKCS#1 or SEC1; or private JWKs) of RSA, EC or Ed25519`
      : message;
  return new OAuthConfigError(`OAuth2ServerModule: ${fix}`, named);
}
