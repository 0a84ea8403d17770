/**
 * DI tokens, metadata keys and names of the OAuth 1 provider's Nest layer.
 */

/** DI token of the resolved {@link OAuth1ServerModuleOptions} (what `forRoot`/`forRootAsync` produced). */
export const OAUTH1_SERVER_OPTIONS = 'OAUTH1_SERVER_OPTIONS';

/** DI token of a storage class given to `forRoot({ storage })` / `forRootAsync({ storage })`, built by Nest. */
export const OAUTH1_SERVER_STORAGE = 'OAUTH1_SERVER_STORAGE';

/** Logger context of every log line of the OAuth 1 provider module. */
export const OAUTH1_SERVER_LOGGER_CONTEXT = 'OAuth1ServerModule';

/** The configuration name of the public origin (ours; the other `OAUTH1_PROVIDER_*` names are Flask-OAuthlib's). */
export const OAUTH1_PROVIDER_ORIGIN_KEY = 'OAUTH1_PROVIDER_ORIGIN';
