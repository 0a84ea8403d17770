/**
 * The standard claims each OpenID Connect scope asks for (OIDC Core §5.4).
 * The first claim of each list is the scope's main claim: a relying party
 * whose ID token lacks it fetches UserInfo; an authorization server releases
 * a scope's claims only when the scope was granted. One table for both sides.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};
