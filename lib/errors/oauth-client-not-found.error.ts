/**
 * A client name that is not registered: thrown by `OAuthService.client(name)`
 * (and, at start-up, for a guard or `@OAuthClient()` naming one).
 */
export class OAuthClientNotFoundError extends Error {
  /** Always `'OAUTH_UNKNOWN_CLIENT'`. */
  readonly code = 'OAUTH_UNKNOWN_CLIENT';

  /**
   * @param clientName - the name asked for
   * @param registered - the names that are registered
   */
  constructor(
    /** The name asked for. */
    readonly clientName: string,
    registered: string[],
  ) {
    super(
      `OAuth client "${String(clientName).slice(0, 64)}" is not registered (registered: ${registered.join(', ') || 'none'})`,
    );
    this.name = new.target.name;
  }
}
