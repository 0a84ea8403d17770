/**
 * DI tokens, metadata keys and defaults of the Nest layer.
 */

/** DI token of the resolved {@link OAuthModuleOptions} (what `forRoot`/`forRootAsync` produced). */
export const OAUTH_MODULE_OPTIONS = 'OAUTH_MODULE_OPTIONS';

/** DI token of the client names declared up front in `forRootAsync({ clients: [...] })`. */
export const OAUTH_STATIC_CLIENT_NAMES = 'OAUTH_STATIC_CLIENT_NAMES';

/** Default lifetime of a login flow's state (seconds): 10 minutes. */
export const DEFAULT_STATE_TTL = 600;

/** Default prefix of the state cookies (`oauth_<client>_<hash>`). */
export const DEFAULT_COOKIE_NAME = 'oauth';

/** The config key (read through `ConfigService`) holding the state secret. */
export const OAUTH_SECRET_ENV = 'OAUTH_SECRET';

/** Logger context used by every log line of the module. */
export const OAUTH_LOGGER_CONTEXT = 'OAuthModule';
