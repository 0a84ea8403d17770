import { issuerEndpoints } from './issuer.util.js';
import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { dnsLabel, fillHost, instanceUrl, presetError } from './preset.util.js';

/** Options of `presets.cognito()`. */
export interface CognitoPresetOptions extends PresetOptions<'domain' | 'idp'> {
  /** The user pool's domain: `my-app.auth.eu-west-1.amazoncognito.com` or a custom domain. */
  domain?: string;
  /** The AWS region of the user pool (`eu-west-1`). */
  region?: string;
  /** The user pool id (`eu-west-1_AbCdEfGhI`). */
  userPoolId?: string;
}

/**
 * Client options for Amazon Cognito user pools (OpenID Connect with PKCE).
 * Env keys: `COGNITO_CLIENT_ID`, `COGNITO_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `domain` (the pool's domain), `idp`
 * (`https://cognito-idp.{region}.amazonaws.com`, the issuer's host).
 *
 * Quirks: the issuer (`https://cognito-idp.{region}.amazonaws.com/{userPoolId}`)
 * is on another host than the endpoints (the pool's `domain`); UserInfo
 * sends `email_verified` as a string (normalized).
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without `domain`, `region` and `userPoolId`
 * @example
 * ```ts
 * presets.cognito({ domain: 'my-app.auth.eu-west-1.amazoncognito.com', region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEfGhI' });
 * ```
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html
 */
export const cognito = definePreset<'domain' | 'idp', CognitoPresetOptions>({
  name: 'cognito',
  title: 'Amazon Cognito',
  docs: 'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html',
  protocol: 'oidc',
  hosts: { domain: 'https://{domain}', idp: 'https://cognito-idp.{region}.amazonaws.com' },
  pkce: 'S256',
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'email', 'email_verified', 'preferred_username'],
  quirks: [
    {
      id: 'cognito-pool',
      summary:
        'issuer on `cognito-idp.{region}` from `region` + `userPoolId`, endpoints on the pool `domain`',
    },
  ],
  params: ['domain', 'region', 'userPoolId'],
  example: {
    domain: 'my-app.auth.eu-west-1.amazoncognito.com',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbCdEfGhI',
  },
  endpoints: (h, { domain, region, userPoolId }) => {
    const site = instanceUrl(h.domain, domain, 'presets.cognito(): domain');
    const idp = fillHost(h.idp, 'region', region, 'presets.cognito(): region');
    if (!userPoolId || !/^[\w-]+_[0-9A-Za-z]+$/.test(userPoolId)) {
      throw presetError('presets.cognito(): userPoolId must look like eu-west-1_AbCdEfGhI');
    }
    if (region !== undefined) dnsLabel(region, 'presets.cognito(): region');
    // The issuer is on cognito-idp, the endpoints on the pool's domain.
    return issuerEndpoints(`${idp}/${userPoolId}`, {
      base: site,
      authorize: '/oauth2/authorize',
      token: '/oauth2/token',
      userinfo: '/oauth2/userInfo',
      revoke: '/oauth2/revoke',
    });
  },
  profile: (user) => ({
    ...oidcProfile(user),
    preferred_username: user.preferred_username ?? user['cognito:username'] ?? user.username,
  }),
});
