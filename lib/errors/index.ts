export { InvalidStateError, type InvalidStateReason } from './invalid-state.error.js';
export { OAuthClientNotFoundError } from './oauth-client-not-found.error.js';
export { OAuthConfigError } from './oauth-config.error.js';
export { publicErrorCode } from './oauth-error-codes.js';
export { OAuthException, type OAuthExceptionBody } from './oauth.exception.js';
export { OAuthRedirectException } from './oauth-redirect.exception.js';
export { OAuthOriginNotAllowedError } from './origin-not-allowed.error.js';
export { toHttpException } from './to-http-exception.js';
export { OAuth2ResponseException } from './oauth2-response.exception.js';
