import { apiHeader, oauth2Fix } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/** Options of `presets.notion()`. */
export interface NotionPresetOptions extends PresetOptions<'api'> {
  /** The `Notion-Version` every API call must name (default `2022-06-28`). */
  notionVersion?: string;
}

/**
 * Client options for Notion (public integrations, OAuth 2). Env keys:
 * `NOTION_CLIENT_ID`, `NOTION_CLIENT_SECRET`. Host for `baseUrls`: `api`
 * (https://api.notion.com).
 *
 * Quirks: there is no profile endpoint: the user comes in the token answer
 * (`owner.user`), where the mapping reads it; every API call must carry a
 * `Notion-Version` header (added); `owner=user` is sent on authorization;
 * there are no scopes.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { notion: presets.notion() } });
 * ```
 * @see https://developers.notion.com/docs/authorization
 */
export const notion = definePreset<'api', NotionPresetOptions>({
  name: 'notion',
  title: 'Notion',
  docs: 'https://developers.notion.com/docs/authorization',
  protocol: 'oauth2',
  hosts: { api: 'https://api.notion.com' },
  pkce: false,
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture'],
  quirks: [
    { id: 'notion-owner-in-token', summary: 'the user is in the token answer (`owner.user`)' },
    { id: 'notion-version-header', summary: 'every API call carries `Notion-Version`' },
  ],
  params: ['notionVersion'],
  endpoints: (h) => ({
    authorizeUrl: `${h.api}/v1/oauth/authorize`,
    accessTokenUrl: `${h.api}/v1/oauth/token`,
    apiBaseUrl: `${h.api}/v1/`,
    authorizeParams: { owner: 'user' },
  }),
  profile: (_raw, token) => {
    const user = token.owner?.user;
    return {
      sub: user?.id,
      name: user?.name,
      email: user?.person?.email,
      picture: user?.avatar_url,
      workspace_id: token.workspace_id,
      workspace_name: token.workspace_name,
      raw: user ?? {},
    };
  },
  complianceFix: oauth2Fix(apiHeader('Notion-Version', (_c, o) => o.notionVersion ?? '2022-06-28')),
});
