import type { ServerRequest } from '../../http/server-request.js';
import type { OAuth2ServerClient } from '../oauth2-server-client.js';
import type { OAuthParams } from '../request-params.js';
import type { ServerContext } from '../server-context.js';

/** What a grant handler works with. */
export interface GrantRequest {
  /** The server. */
  ctx: ServerContext;
  /** The authenticated client. */
  client: OAuth2ServerClient;
  /** The token request's form parameters. */
  params: OAuthParams;
  /** The HTTP request. */
  request: ServerRequest;
}

/** A grant type's token endpoint logic: returns the token response body, or throws an `OAuth2ServerError`. */
export type GrantHandler = (grant: GrantRequest) => Promise<Record<string, unknown>>;
