/**
 * Which login buttons the sample offers: the local provider always, and each
 * well-known provider whose `{NAME}_CLIENT_ID` is set (environment or `.env`).
 */
import type { ConfigService } from '@nestjs/config';
import type { OAuthClientOptions } from '../lib/index.js';
import { presets } from '../lib/index.js';

/** The presets the sample can enable, with their button labels. */
export const OPTIONAL_PROVIDERS = {
  github: { label: 'GitHub', preset: () => presets.github() },
  google: { label: 'Google', preset: () => presets.google() },
  microsoft: { label: 'Microsoft', preset: () => presets.microsoft() },
  gitlab: { label: 'GitLab', preset: () => presets.gitlab() },
  discord: { label: 'Discord', preset: () => presets.discord() },
  twitter: { label: 'Twitter (OAuth 1.0a)', preset: () => presets.twitter() },
  x: { label: 'X', preset: () => presets.x() },
  facebook: { label: 'Facebook', preset: () => presets.facebook() },
  linkedin: { label: 'LinkedIn', preset: () => presets.linkedin() },
} as const satisfies Record<string, { label: string; preset: () => OAuthClientOptions }>;

/** Button label of a client. */
export function providerLabel(name: string): string {
  if (name === 'local') return 'Local OpenID provider';
  return (OPTIONAL_PROVIDERS as Record<string, { label: string }>)[name]?.label ?? name;
}

/**
 * The clients for `OAuthModule`: `local` (discovery from `LOCAL_ISSUER`; its
 * id and secret come from `LOCAL_CLIENT_ID` / `LOCAL_CLIENT_SECRET`) plus the
 * configured presets. Each callback is `/callback/{name}` on the address the
 * browser used, unless `{NAME}_REDIRECT_URI` says otherwise.
 */
export function buildClients(config: ConfigService): Record<string, OAuthClientOptions> {
  const redirectUri = (name: string) =>
    config.get<string>(`${name.toUpperCase()}_REDIRECT_URI`) ?? `/callback/${name}`;
  const clients: Record<string, OAuthClientOptions> = {
    local: presets.oidc({
      issuer: config.getOrThrow<string>('LOCAL_ISSUER'),
      redirectUri: redirectUri('local'),
      // Ask for the password every time, so you can switch between the demo accounts.
      authorizeParams: { prompt: 'login' },
    }),
  };
  for (const [name, { preset }] of Object.entries(OPTIONAL_PROVIDERS)) {
    if (config.get(`${name.toUpperCase()}_CLIENT_ID`)) {
      clients[name] = { ...preset(), redirectUri: redirectUri(name) };
    }
  }
  return clients;
}
