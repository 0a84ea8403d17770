/**
 * A start-up configuration error of the Nest module: a missing or malformed
 * option, an unknown key, a weak secret, a guard naming a client that does
 * not exist. The message names the key to fix and how.
 *
 * @example
 * ```ts
 * // OAuth client "github" is missing clientId: set clients.github.clientId or GITHUB_CLIENT_ID
 * ```
 */
export class OAuthConfigError extends Error {
  /** Always `'OAUTH_CONFIG'`. */
  readonly code = 'OAUTH_CONFIG';
  /** The key at fault, as the user would write it (`GITHUB_CLIENT_ID`, `clients.github.clientId`). */
  readonly key?: string;

  /**
   * @param message - what is wrong and how to fix it
   * @param key - the option or config key at fault
   */
  constructor(message: string, key?: string) {
    super(message);
    this.name = new.target.name;
    if (key !== undefined) this.key = key;
  }
}
