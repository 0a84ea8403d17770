import { definePreset } from './define-preset.js';

/**
 * Client options for Lichess (OAuth 2 with PKCE, public clients only). Env
 * key: `LICHESS_CLIENT_ID` (any identifier of your app; there is no secret
 * and no app registration). Host for `baseUrls`: `web` (https://lichess.org).
 *
 * Quirks: no client secret (`none` authentication, PKCE required); the
 * account has no e-mail: the mapping reads `/api/account/email` (scope
 * `email:read`) through the client.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { lichess: presets.lichess({ clientId: 'my-app.example' }) } });
 * ```
 * @see https://lichess.org/api#tag/OAuth
 */
export const lichess = definePreset<'web'>({
  name: 'lichess',
  title: 'Lichess',
  docs: 'https://lichess.org/api#tag/OAuth',
  protocol: 'oauth2',
  hosts: { web: 'https://lichess.org' },
  pkce: 'S256',
  clientAuth: 'none',
  scope: 'email:read',
  refresh: false,
  fields: ['sub', 'name', 'email', 'preferred_username', 'profile'],
  quirks: [
    { id: 'lichess-public-client', summary: 'public client: no secret, PKCE required' },
    {
      id: 'lichess-account-email',
      summary: 'e-mail read from `/api/account/email` through the client',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/oauth`,
    accessTokenUrl: `${h.web}/api/token`,
    apiBaseUrl: `${h.web}/api/`,
    userinfoEndpoint: `${h.web}/api/account`,
  }),
  profile: async (user, _token, context, { endpoints }) => {
    let email: string | undefined;
    try {
      email = ((await context.request(`${endpoints.apiBaseUrl}account/email`)) as any)?.email;
    } catch {
      // Without `email:read` the user signs in without an e-mail.
    }
    return {
      sub: user.id,
      name: user.username,
      preferred_username: user.username,
      email,
      profile: user.url,
    };
  },
});
