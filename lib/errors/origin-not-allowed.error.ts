import { OAuthError } from '../core/errors.js';

/**
 * An injected client was asked to send the user's token to an origin that is
 * neither its `apiBaseUrl`'s, the provider's own, nor in `allowedOrigins`: the
 * request is not sent. Pass `init.token` to send a token there on purpose.
 * Maps to `400 invalid_request`.
 */
export class OAuthOriginNotAllowedError extends OAuthError {
  /**
   * @param clientName - the injected client
   * @param origin - the origin that was refused
   */
  constructor(
    clientName: string,
    /** The origin that was refused. */
    readonly origin: string,
  ) {
    super('invalid_request', {
      message: `OAuth client "${clientName}" sends its token only to its apiBaseUrl, the provider and allowedOrigins, not to ${origin}: add the origin to allowedOrigins, or pass init.token`,
    });
  }
}
