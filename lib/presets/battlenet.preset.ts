import { definePreset } from './define-preset.js';

/**
 * Client options for Battle.net (Blizzard, OpenID Connect). Env keys:
 * `BATTLENET_CLIENT_ID`, `BATTLENET_CLIENT_SECRET`. Host for `baseUrls`:
 * `oauth` (https://oauth.battle.net; `https://oauth.battlenet.com.cn` in China).
 *
 * Quirks: the only profile claim is the BattleTag (`battle_tag` in the ID
 * token, `battletag` in UserInfo); there is no e-mail.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { battlenet: presets.battlenet() } });
 * ```
 * @see https://develop.battle.net/documentation/guides/using-oauth/authorization-code-flow
 */
export const battlenet = definePreset<'oauth'>({
  name: 'battlenet',
  title: 'Battle.net',
  docs: 'https://develop.battle.net/documentation/guides/using-oauth/authorization-code-flow',
  protocol: 'oidc',
  hosts: { oauth: 'https://oauth.battle.net' },
  pkce: false,
  scope: 'openid',
  refresh: false,
  fields: ['sub', 'name', 'preferred_username'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.oauth}/.well-known/openid-configuration`,
    authorizeUrl: `${h.oauth}/authorize`,
    accessTokenUrl: `${h.oauth}/token`,
    userinfoEndpoint: `${h.oauth}/userinfo`,
  }),
  profile: (user) => {
    const tag = user.battle_tag ?? user.battletag;
    return { sub: user.sub ?? user.id, name: tag, preferred_username: tag };
  },
});
