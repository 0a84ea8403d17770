/**
 * Ready client configurations for well-known providers. Each function returns
 * `OAuthClientOptions` (endpoints, default scope, provider quirks,
 * `userinfoEndpoint`) plus a `profile` mapping to the standard claims `sub`,
 * `name`, `email`, `email_verified`, `picture`, `preferred_username`. Options
 * passed in win over the defaults; `clientKwargs` and the `*Params` objects
 * are merged key by key. The client id and secret are left out, so they are
 * read from `{NAME}_CLIENT_ID` / `{NAME}_CLIENT_SECRET`.
 *
 * ```ts
 * OAuthModule.forRoot({
 *   clients: {
 *     github: presets.github(),
 *     google: presets.google({ offline: true }),
 *     sso: presets.oidc({ issuer: 'https://sso.example.com/realms/main' }),
 *   },
 * });
 * ```
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 * @module presets
 */
export { apple } from './apple.preset.js';
export { discord } from './discord.preset.js';
export { facebook } from './facebook.preset.js';
export { github } from './github.preset.js';
export { gitlab } from './gitlab.preset.js';
export { google } from './google.preset.js';
export { linkedin } from './linkedin.preset.js';
export { microsoft } from './microsoft.preset.js';
export { oidc } from './oidc.preset.js';
export { twitter } from './twitter.preset.js';
export { x } from './x.preset.js';
export { spotify } from './spotify.preset.js';
export { twitch } from './twitch.preset.js';
export { reddit } from './reddit.preset.js';
export { dropbox } from './dropbox.preset.js';
export { bitbucket } from './bitbucket.preset.js';
export { atlassian } from './atlassian.preset.js';
export { notion } from './notion.preset.js';
export { zoom } from './zoom.preset.js';
export { strava } from './strava.preset.js';
export { patreon } from './patreon.preset.js';
export { figma } from './figma.preset.js';
export { box } from './box.preset.js';
export { heroku } from './heroku.preset.js';
export { digitalocean } from './digitalocean.preset.js';
export { netlify } from './netlify.preset.js';
export { amazon } from './amazon.preset.js';
export { osu } from './osu.preset.js';
export { webex } from './webex.preset.js';
export { pinterest } from './pinterest.preset.js';
export { kick } from './kick.preset.js';
export { calendly } from './calendly.preset.js';
export { wordpress } from './wordpress.preset.js';
export { zendesk } from './zendesk.preset.js';
export { mastodon } from './mastodon.preset.js';
export { lichess } from './lichess.preset.js';
export { linear } from './linear.preset.js';
export { coinbase } from './coinbase.preset.js';
export { stripe } from './stripe.preset.js';
export { hubspot } from './hubspot.preset.js';
export { mailchimp } from './mailchimp.preset.js';
export { instagram } from './instagram.preset.js';
export { vk } from './vk.preset.js';
export { kakao } from './kakao.preset.js';
export { naver } from './naver.preset.js';
export { wechat } from './wechat.preset.js';
export { weibo } from './weibo.preset.js';
export { douban } from './douban.preset.js';
export { line } from './line.preset.js';
export { yahoo } from './yahoo.preset.js';
export { yandex } from './yandex.preset.js';
export { slack } from './slack.preset.js';
export { tiktok } from './tiktok.preset.js';
export { okta } from './okta.preset.js';
export { auth0 } from './auth0.preset.js';
export { keycloak } from './keycloak.preset.js';
export { cognito } from './cognito.preset.js';
export { authentik } from './authentik.preset.js';
export { zitadel } from './zitadel.preset.js';
