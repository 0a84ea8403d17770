/**
 * The provider presets: `presets.github()`, `presets.google()`, ... (see
 * `presets.ts`), and the types that describe them.
 */
export * as presets from './presets.js';

export type {
  OAuthProfile,
  OAuthProfileContext,
  OAuthProfileRequestInit,
  PresetOptions,
  StandardClaims,
} from './preset.interface.js';
export type { OAuthComplianceTransport } from '../interfaces/oauth-client-options.interface.js';
export type { AppleProfile, ApplePresetOptions } from './apple.preset.js';
export type { DiscordProfile } from './discord.preset.js';
export type { FacebookProfile, FacebookPresetOptions } from './facebook.preset.js';
export type {
  GitHubEmail,
  GitHubProfile,
  GitHubPresetOptions,
  GitHubProfileOptions,
} from './github.preset.js';
export type { GitLabProfile, GitLabPresetOptions } from './gitlab.preset.js';
export type { GoogleProfile, GooglePresetOptions } from './google.preset.js';
export type { LinkedInProfile } from './linkedin.preset.js';
export type { MicrosoftProfile, MicrosoftPresetOptions } from './microsoft.preset.js';
export type { OidcPresetOptions } from './oidc.preset.js';
export type { TwitterProfile } from './twitter.preset.js';
export type { XProfile } from './x.preset.js';
export type { Auth0PresetOptions } from './auth0.preset.js';
export type { AuthentikPresetOptions } from './authentik.preset.js';
export type { CognitoPresetOptions } from './cognito.preset.js';
export type { GiteaPresetOptions } from './gitea.preset.js';
export type { InstagramPresetOptions } from './instagram.preset.js';
export type { KeycloakPresetOptions } from './keycloak.preset.js';
export type { MastodonPresetOptions } from './mastodon.preset.js';
export type { NotionPresetOptions } from './notion.preset.js';
export type { OktaPresetOptions } from './okta.preset.js';
export type { PayPalPresetOptions } from './paypal.preset.js';
export type { QuickBooksPresetOptions } from './quickbooks.preset.js';
export type { RedditPresetOptions } from './reddit.preset.js';
export type { SalesforcePresetOptions } from './salesforce.preset.js';
export type { ShopifyPresetOptions } from './shopify.preset.js';
export type { SlackPresetOptions } from './slack.preset.js';
export type { StackExchangePresetOptions } from './stackexchange.preset.js';
export type { TrelloPresetOptions } from './trello.preset.js';
export type { VkPresetOptions } from './vk.preset.js';
export type { ZendeskPresetOptions } from './zendesk.preset.js';
export type { ZitadelPresetOptions } from './zitadel.preset.js';
