/**
 * Types shared by the provider presets. A preset returns plain
 * `OAuthClientOptions`: endpoints, default `clientKwargs`, `userinfoEndpoint`
 * and a `profile` mapping to {@link StandardClaims}.
 */

/**
 * The standard claims a preset's `profile` mapping produces
 * (OpenID Connect Core §5.1). Keys a provider does not know are left out.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export interface StandardClaims {
  /** The provider's stable, unique identifier of the user, as a string. */
  sub: string;
  /** Full name, for display. */
  name?: string;
  /** An e-mail address of the user; absent when the provider gives none. */
  email?: string;
  /** `true` only when the provider states that it verified `email`. */
  email_verified?: boolean;
  /** URL of a profile picture. */
  picture?: string;
  /** The handle (login, username, screen name) the user is known by. */
  preferred_username?: string;
  /** Other claims the mapping keeps (`given_name`, `locale`, ...). */
  [claim: string]: unknown;
}
