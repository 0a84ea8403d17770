import { InvalidResponseError } from '../core/errors.js';
import { oauth2Fix, reshapeTokenResponse } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/** Options of `presets.slack()`. */
export interface SlackPresetOptions extends PresetOptions<'web'> {
  /**
   * Use the `oauth.v2.access` flow for a user token with these user scopes
   * (`identity.basic identity.email identity.avatar`, ...) instead of "Sign
   * in with Slack" (OpenID Connect, the default).
   */
  userScope?: string;
}

/** The user token fields of an `oauth.v2.access` answer, moved to the top level. */
const USER_TOKEN_FIELDS = ['access_token', 'token_type', 'scope', 'refresh_token', 'expires_in'];

/**
 * Client options for Slack: "Sign in with Slack" (OpenID Connect) by
 * default, or with `userScope` the `oauth.v2.access` flow for a user token.
 * Env keys: `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`. Host for `baseUrls`:
 * `web` (https://slack.com).
 *
 * Quirks: errors come with HTTP 200 as `{ ok: false, error }`; in the v2
 * flow the user token is nested in `authed_user` (moved to the top, the
 * bot token, if any, is dropped from the login) and the profile is
 * `users.identity`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { slack: presets.slack() } });
 * ```
 * @see https://docs.slack.dev/authentication/sign-in-with-slack/
 */
export const slack = definePreset<'web', SlackPresetOptions>({
  name: 'slack',
  title: 'Slack',
  docs: 'https://docs.slack.dev/authentication/sign-in-with-slack/',
  protocol: 'oidc',
  hosts: { web: 'https://slack.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture'],
  quirks: [
    {
      id: 'slack-authed-user',
      summary: 'v2 flow (`userScope`): the user token is nested in `authed_user`',
    },
  ],
  params: ['userScope'],
  endpoints: (h, { userScope }) =>
    userScope
      ? {
          authorizeUrl: `${h.web}/oauth/v2/authorize`,
          accessTokenUrl: `${h.web}/api/oauth.v2.access`,
          apiBaseUrl: `${h.web}/api/`,
          authorizeParams: { user_scope: userScope },
          clientKwargs: { scope: '' },
        }
      : {
          serverMetadataUrl: `${h.web}/.well-known/openid-configuration`,
          authorizeUrl: `${h.web}/openid/connect/authorize`,
          accessTokenUrl: `${h.web}/api/openid.connect.token`,
          userinfoEndpoint: `${h.web}/api/openid.connect.userInfo`,
          apiBaseUrl: `${h.web}/api/`,
        },
  profile: async (user, _token, context, { endpoints, options }) => {
    if (!options.userScope) {
      return {
        sub: user.sub,
        name: user.name,
        email: user.email,
        email_verified: user.email_verified,
        picture: user.picture,
        team_id: user['https://slack.com/team_id'],
      };
    }
    const identity = (await context.request(`${endpoints.apiBaseUrl}users.identity`)) as any;
    if (identity?.ok !== true) {
      throw new InvalidResponseError('Slack users.identity', String(identity?.error ?? 'not ok'));
    }
    return {
      sub: identity.user?.id,
      name: identity.user?.name,
      email: identity.user?.email,
      picture: identity.user?.image_192,
      team_id: identity.team?.id,
      raw: identity,
    };
  },
  complianceFix: oauth2Fix(
    reshapeTokenResponse((data) => {
      const user = data.authed_user as Record<string, unknown> | undefined;
      if (!user || typeof user !== 'object' || typeof user.access_token !== 'string') return data;
      const out: Record<string, unknown> = { ...data, authed_user: { id: user.id } };
      for (const key of USER_TOKEN_FIELDS) {
        delete out[key];
        if (user[key] !== undefined) out[key] = user[key];
      }
      out.token_type ??= 'Bearer';
      return out;
    }),
  ),
});
