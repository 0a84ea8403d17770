import { clientSecretBasic } from '../core/oauth2/client-auth.js';
import { apiHeader, oauth2Fix, withTokenHeader } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/** Options of `presets.reddit()`. */
export interface RedditPresetOptions extends PresetOptions<'www' | 'oauth'> {
  /**
   * The `User-Agent` Reddit requires on every request, in its format
   * `<platform>:<app id>:<version> (by /u/<username>)`. Generic agents are
   * throttled or refused.
   */
  userAgent?: string;
}

const DEFAULT_USER_AGENT = 'web:nestjs-oauth:v1 (by /u/nestjs-oauth)';

/**
 * Client options for Reddit (OAuth 2). Env keys: `REDDIT_CLIENT_ID`,
 * `REDDIT_CLIENT_SECRET`. Hosts for `baseUrls`: `www`
 * (https://www.reddit.com), `oauth` (https://oauth.reddit.com, the API).
 *
 * Quirks: every request, the token endpoint included, must carry a
 * descriptive `User-Agent` (option `userAgent`); the token endpoint takes
 * HTTP Basic only; a refresh token needs `duration=permanent` (sent); the
 * API lives on another host than the login; `icon_img` is HTML-escaped.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { reddit: presets.reddit({ userAgent: 'web:my-app:v1.2 (by /u/me)' }) } });
 * ```
 * @see https://github.com/reddit-archive/reddit/wiki/OAuth2
 */
export const reddit = definePreset<'www' | 'oauth', RedditPresetOptions>({
  name: 'reddit',
  title: 'Reddit',
  docs: 'https://github.com/reddit-archive/reddit/wiki/OAuth2',
  protocol: 'oauth2',
  hosts: { www: 'https://www.reddit.com', oauth: 'https://oauth.reddit.com' },
  pkce: false,
  clientAuth: { label: 'client_secret_basic + User-Agent' },
  clientAuthFor: (o) =>
    withTokenHeader(clientSecretBasic, 'User-Agent', o.userAgent ?? DEFAULT_USER_AGENT),
  scope: 'identity',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'reddit-user-agent',
      summary: 'a descriptive `User-Agent` on every request, token endpoint included',
    },
    { id: 'reddit-permanent', summary: 'refresh tokens only with `duration=permanent`' },
  ],
  params: ['userAgent'],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/api/v1/authorize`,
    accessTokenUrl: `${h.www}/api/v1/access_token`,
    revocationEndpoint: `${h.www}/api/v1/revoke_token`,
    apiBaseUrl: `${h.oauth}/`,
    userinfoEndpoint: `${h.oauth}/api/v1/me`,
    authorizeParams: { duration: 'permanent' },
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.name,
    preferred_username: user.name,
    picture: typeof user.icon_img === 'string' ? user.icon_img.replace(/&amp;/g, '&') : undefined,
    profile: user.name ? `https://www.reddit.com/user/${encodeURIComponent(user.name)}` : undefined,
  }),
  complianceFix: oauth2Fix(apiHeader('User-Agent', (_c, o) => o.userAgent ?? DEFAULT_USER_AGENT)),
});
