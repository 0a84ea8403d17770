/**
 * DI tokens, metadata keys and names of the authorization server module.
 */

/** DI token of the {@link OAuth2ServerModuleOptions} as given (`forRoot`, or the `forRootAsync` factory). */
export const OAUTH2_SERVER_OPTIONS = 'OAUTH2_SERVER_OPTIONS';

/** Prefix of the settings read from `ConfigService` (the seed's `OAUTH2_PROVIDER_*`). */
export const OAUTH2_PROVIDER_PREFIX = 'OAUTH2_PROVIDER_';

/** Logger context of the module. */
export const OAUTH2_SERVER_LOGGER_CONTEXT = 'OAuth2ServerModule';
