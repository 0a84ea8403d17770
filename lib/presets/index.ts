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
