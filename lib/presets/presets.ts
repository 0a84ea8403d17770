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
export { amazon } from './amazon.preset.js';
export { apple } from './apple.preset.js';
export { asana } from './asana.preset.js';
export { atlassian } from './atlassian.preset.js';
export { auth0 } from './auth0.preset.js';
export { authentik } from './authentik.preset.js';
export { battlenet } from './battlenet.preset.js';
export { bitbucket } from './bitbucket.preset.js';
export { box } from './box.preset.js';
export { calendly } from './calendly.preset.js';
export { cognito } from './cognito.preset.js';
export { coinbase } from './coinbase.preset.js';
export { digitalocean } from './digitalocean.preset.js';
export { discord } from './discord.preset.js';
export { douban } from './douban.preset.js';
export { dropbox } from './dropbox.preset.js';
export { epicgames } from './epicgames.preset.js';
export { etsy } from './etsy.preset.js';
export { facebook } from './facebook.preset.js';
export { figma } from './figma.preset.js';
export { gitea } from './gitea.preset.js';
export { github } from './github.preset.js';
export { gitlab } from './gitlab.preset.js';
export { google } from './google.preset.js';
export { heroku } from './heroku.preset.js';
export { hubspot } from './hubspot.preset.js';
export { instagram } from './instagram.preset.js';
export { kakao } from './kakao.preset.js';
export { keycloak } from './keycloak.preset.js';
export { kick } from './kick.preset.js';
export { lichess } from './lichess.preset.js';
export { line } from './line.preset.js';
export { linear } from './linear.preset.js';
export { linkedin } from './linkedin.preset.js';
export { mailchimp } from './mailchimp.preset.js';
export { mastodon } from './mastodon.preset.js';
export { microsoft } from './microsoft.preset.js';
export { naver } from './naver.preset.js';
export { netlify } from './netlify.preset.js';
export { notion } from './notion.preset.js';
export { oidc } from './oidc.preset.js';
export { okta } from './okta.preset.js';
export { osu } from './osu.preset.js';
export { patreon } from './patreon.preset.js';
export { paypal } from './paypal.preset.js';
export { pinterest } from './pinterest.preset.js';
export { quickbooks } from './quickbooks.preset.js';
export { reddit } from './reddit.preset.js';
export { roblox } from './roblox.preset.js';
export { salesforce } from './salesforce.preset.js';
export { shopify } from './shopify.preset.js';
export { slack } from './slack.preset.js';
export { spotify } from './spotify.preset.js';
export { stackexchange } from './stackexchange.preset.js';
export { strava } from './strava.preset.js';
export { stripe } from './stripe.preset.js';
export { tiktok } from './tiktok.preset.js';
export { trello } from './trello.preset.js';
export { tumblr } from './tumblr.preset.js';
export { twitch } from './twitch.preset.js';
export { twitter } from './twitter.preset.js';
export { vercel } from './vercel.preset.js';
export { vk } from './vk.preset.js';
export { webex } from './webex.preset.js';
export { wechat } from './wechat.preset.js';
export { weibo } from './weibo.preset.js';
export { wordpress } from './wordpress.preset.js';
export { x } from './x.preset.js';
export { xero } from './xero.preset.js';
export { yahoo } from './yahoo.preset.js';
export { yandex } from './yandex.preset.js';
export { zendesk } from './zendesk.preset.js';
export { zitadel } from './zitadel.preset.js';
export { zoom } from './zoom.preset.js';
