import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { siteUrl } from './preset.util.js';

/** Options of `presets.gitea()`. */
export interface GiteaPresetOptions extends PresetOptions<'web'> {
  /** A self-hosted Gitea or Forgejo (`https://git.example.com`). Default: gitea.com. */
  baseUrl?: string;
}

/**
 * Client options for Gitea and Forgejo (OpenID Connect with PKCE). Env
 * keys: `GITEA_CLIENT_ID`, `GITEA_CLIENT_SECRET`. Host for `baseUrls`:
 * `web` (https://gitea.com; `baseUrl` does the same).
 *
 * Quirks: self-hosted instances are the rule (`baseUrl`); the issuer is the
 * instance URL with a trailing slash.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { gitea: presets.gitea({ baseUrl: 'https://git.example.com' }) } });
 * ```
 * @see https://docs.gitea.com/development/oauth2-provider
 */
export const gitea = definePreset<'web', GiteaPresetOptions>({
  name: 'gitea',
  title: 'Gitea / Forgejo',
  docs: 'https://docs.gitea.com/development/oauth2-provider',
  protocol: 'oidc',
  hosts: { web: 'https://gitea.com' },
  pkce: 'S256',
  scope: 'openid profile email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'gitea-self-hosted',
      summary: '`baseUrl` points every endpoint and the issuer at an instance',
    },
  ],
  params: ['baseUrl'],
  endpoints: (h, { baseUrl }) => {
    const site = baseUrl ? siteUrl(baseUrl, 'presets.gitea(): baseUrl') : h.web;
    return {
      serverMetadataUrl: `${site}/.well-known/openid-configuration`,
      authorizeUrl: `${site}/login/oauth/authorize`,
      accessTokenUrl: `${site}/login/oauth/access_token`,
      userinfoEndpoint: `${site}/login/oauth/userinfo`,
      apiBaseUrl: `${site}/api/v1/`,
    };
  },
  profile: (user) => oidcProfile(user),
});
