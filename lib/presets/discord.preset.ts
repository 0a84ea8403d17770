import { definePreset } from './define-preset.js';
import type { StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  optionalBoolean,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

const USERINFO_URL = 'https://discord.com/api/v10/users/@me';
const CDN_URL = 'https://cdn.discordapp.com';

/**
 * The Discord user object (`GET /users/@me`), the fields the mapping reads.
 * @see https://discord.com/developers/docs/resources/user#user-object
 */
export interface DiscordProfile {
  /** A snowflake (a 64-bit integer as a string). */
  id: string;
  /** The unique username. */
  username: string;
  /** `"0"` for accounts on the new unique usernames; `"1234"` for legacy tags. */
  discriminator?: string;
  /** Display name, `null` when the user has none. */
  global_name?: string | null;
  /** Avatar hash, `null` for the default avatar; `a_` prefix = animated. */
  avatar?: string | null;
  /** Needs the `email` scope. */
  email?: string | null;
  /** Whether `email` was verified. */
  verified?: boolean;
  [key: string]: unknown;
}

/**
 * Client options for Discord (OAuth 2 with PKCE).
 * Env keys: `DISCORD_CLIENT_ID`, `DISCORD_CLIENT_SECRET`. Host for
 * `baseUrls`: `web` (https://discord.com).
 *
 * Quirks: no OpenID Connect; the profile comes from `/users/@me`, and the
 * avatar is a hash the mapping turns into a CDN URL (the default avatar
 * when there is none).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { discord: presets.discord({ clientKwargs: { scope: 'identify' } }) } });
 * ```
 * @see https://discord.com/developers/docs/topics/oauth2
 * @see https://www.rfc-editor.org/rfc/rfc7636.html
 */
export const discord = definePreset<'web'>({
  name: 'discord',
  title: 'Discord',
  docs: 'https://discord.com/developers/docs/topics/oauth2',
  protocol: 'oauth2',
  hosts: { web: 'https://discord.com' },
  pkce: 'S256',
  scope: 'identify email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username'],
  quirks: [
    { id: 'discord-avatar-hash', summary: 'avatar is a hash: the mapping builds the CDN URL' },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/oauth2/authorize`,
    accessTokenUrl: `${h.web}/api/oauth2/token`,
    revocationEndpoint: `${h.web}/api/oauth2/token/revoke`,
    apiBaseUrl: `${h.web}/api/v10/`,
    userinfoEndpoint: `${h.web}/api/v10/users/@me`,
  }),
  profile: (user) => discordProfile(user),
});

/**
 * Maps a Discord user to standard claims: `name` is the display name, else
 * the username; `picture` is the avatar's CDN URL.
 *
 * @param raw - a {@link DiscordProfile}: the `/users/@me` response
 * @throws {InvalidResponseError} when `raw` is not an object or has no id
 */
export function discordProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, USERINFO_URL);
  const id = requireSub(toSub(user.id), USERINFO_URL);
  const username = optionalString(user.username);
  const discriminator = optionalString(user.discriminator);
  const legacyTag = discriminator && discriminator !== '0' ? discriminator : undefined;
  const email = optionalString(user.email);
  return compact({
    sub: id,
    name: optionalString(user.global_name) ?? username,
    preferred_username: username && legacyTag ? `${username}#${legacyTag}` : username,
    email,
    email_verified: email ? optionalBoolean(user.verified) : undefined,
    picture: avatarUrl(id, optionalString(user.avatar), legacyTag),
  });
}

/** The avatar's CDN URL; for no avatar, one of the default avatars as Discord picks it. */
function avatarUrl(id: string, hash: string | undefined, legacyTag: string | undefined): string {
  if (hash && /^[\w]+$/.test(hash)) {
    return `${CDN_URL}/avatars/${encodeURIComponent(id)}/${hash}.${hash.startsWith('a_') ? 'gif' : 'png'}`;
  }
  let index = 0;
  if (legacyTag && /^\d+$/.test(legacyTag)) index = Number(legacyTag) % 5;
  else if (/^\d{1,20}$/.test(id)) index = Number((BigInt(id) >> 22n) % 6n);
  return `${CDN_URL}/embed/avatars/${index}.png`;
}
