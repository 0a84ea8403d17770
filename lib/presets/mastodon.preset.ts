import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { instanceUrl } from './preset.util.js';

/** Options of `presets.mastodon()`. */
export interface MastodonPresetOptions extends PresetOptions<'instance'> {
  /** The server: `mastodon.social` or `https://mastodon.social`. */
  instance?: string;
}

/**
 * Client options for a Mastodon server (OAuth 2 with PKCE, Mastodon 4.3+).
 * Env keys: `MASTODON_CLIENT_ID`, `MASTODON_CLIENT_SECRET` (an app is
 * registered per server). Host for `baseUrls`: `instance`.
 *
 * Quirks: every server is its own provider: `instance` is required; tokens
 * do not expire.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without a valid `instance`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { mastodon: presets.mastodon({ instance: 'mastodon.social' }) } });
 * ```
 * @see https://docs.joinmastodon.org/spec/oauth/
 */
export const mastodon = definePreset<'instance', MastodonPresetOptions>({
  name: 'mastodon',
  title: 'Mastodon',
  docs: 'https://docs.joinmastodon.org/spec/oauth/',
  protocol: 'oauth2',
  hosts: { instance: 'https://{instance}' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'read:accounts',
  refresh: false,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  quirks: [
    { id: 'mastodon-instance', summary: 'each server is its own provider: `instance` is required' },
  ],
  params: ['instance'],
  example: { instance: 'mastodon.social' },
  endpoints: (h, o) => {
    const site = instanceUrl(h.instance, o.instance, 'presets.mastodon(): instance');
    return {
      authorizeUrl: `${site}/oauth/authorize`,
      accessTokenUrl: `${site}/oauth/token`,
      revocationEndpoint: `${site}/oauth/revoke`,
      apiBaseUrl: `${site}/api/v1/`,
      userinfoEndpoint: `${site}/api/v1/accounts/verify_credentials`,
    };
  },
  profile: (user) => ({
    sub: user.id,
    name: user.display_name || user.username,
    preferred_username: user.acct,
    picture: user.avatar,
    profile: user.url,
  }),
});
