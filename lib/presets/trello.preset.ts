import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/** Options of `presets.trello()`. */
export interface TrelloPresetOptions extends PresetOptions<'trello' | 'api'> {
  /** The application name Trello shows on its consent page. */
  appName?: string;
  /** `read`, `write`, `account` (comma-separated; default `read,account`). */
  scope?: string;
  /** Token lifetime: `1hour`, `1day`, `30days` or `never` (default `30days`). */
  expiration?: string;
}

/**
 * Client options for Trello (OAuth 1.0a). Env keys: `TRELLO_CLIENT_ID` (the
 * API key), `TRELLO_CLIENT_SECRET` (the OAuth secret). Hosts for `baseUrls`:
 * `trello` (https://trello.com), `api` (https://api.trello.com).
 *
 * Quirks: the authorization URL takes Trello's own parameters, `name`,
 * `scope` and `expiration` (options `appName`, `scope`, `expiration`); the
 * avatar is a base URL to which a size is appended.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { trello: presets.trello({ appName: 'My App' }) } });
 * ```
 * @see https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/
 */
export const trello = definePreset<'trello' | 'api', TrelloPresetOptions>({
  name: 'trello',
  title: 'Trello (OAuth 1.0a)',
  docs: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/',
  protocol: 'oauth1',
  hosts: { trello: 'https://trello.com', api: 'https://api.trello.com' },
  refresh: false,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'trello-authorize-params',
      summary: 'the authorization URL takes `name`, `scope` and `expiration`',
    },
  ],
  params: ['appName', 'scope', 'expiration'],
  endpoints: (h, { appName, scope = 'read,account', expiration = '30days' }) => ({
    requestTokenUrl: `${h.trello}/1/OAuthGetRequestToken`,
    authorizeUrl: `${h.trello}/1/OAuthAuthorizeToken`,
    accessTokenUrl: `${h.trello}/1/OAuthGetAccessToken`,
    apiBaseUrl: `${h.api}/1/`,
    userinfoEndpoint: `${h.api}/1/members/me`,
    authorizeParams: { ...(appName ? { name: appName } : {}), scope, expiration },
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.fullName,
    preferred_username: user.username,
    email: user.email,
    email_verified: user.email ? user.confirmed : undefined,
    picture: user.avatarUrl ? `${user.avatarUrl}/170.png` : undefined,
    profile: user.url,
  }),
});
