// Reading the credentials endpoints' answers (RFC 5849 §2.1 and §2.3) for OAuth1Client.
import { MissingTokenError } from '../errors.js';
import {
  parseBody,
  parseOAuthResponse,
  readResponseText,
  type CallContext,
} from '../http/fetcher.js';
import type { OAuth1Token } from '../token.js';
import { Redactor } from '../util/redact.js';
import { messages, oauth1TypeError, problemError } from './oauth1-errors.js';

/**
 * Reads a temporary or token credentials response: an OAuth Problem Reporting
 * body (`oauth_problem=...`) becomes an {@link OAuthError} with that code; the
 * rest is {@link readOAuthResponse}'s job (JSON or form, `error` members,
 * non-OAuth answers). The credentials must be there.
 *
 * @internal
 * @throws {MissingTokenError} when the response has no `oauth_token` or `oauth_token_secret`
 */
export async function readCredentials(
  response: Response,
  context: CallContext,
): Promise<OAuth1Token> {
  const text = await readResponseText(response, context);
  const parsed = parseBody(text, response.headers.get('content-type') ?? '');
  if (parsed && parsed.oauth_problem !== undefined && parsed.oauth_problem !== '') {
    throw problemError(parsed, context.secrets ?? [], {
      endpoint: context.endpoint,
      status: response.status,
    });
  }
  const data = parseOAuthResponse(text, response, context);
  const oauthToken = toText(data.oauth_token);
  const oauthTokenSecret = toText(data.oauth_token_secret);
  if (!oauthToken || oauthTokenSecret === undefined) {
    throw new MissingTokenError({
      endpoint: context.endpoint,
      status: response.status,
      response: new Redactor(context.secrets ?? []).value(data),
      message: messages.missingTokenInResponse(context.endpoint),
    });
  }
  return { ...data, oauth_token: oauthToken, oauth_token_secret: oauthTokenSecret };
}

/**
 * Checks that a token given by the caller has the OAuth 1 credential fields.
 *
 * @internal
 * @throws {TypeError} `ERR_OAUTH1_INVALID_OPTION` otherwise
 */
export function checkToken(token: OAuth1Token): OAuth1Token {
  if (
    !token ||
    typeof token !== 'object' ||
    typeof token.oauth_token !== 'string' ||
    token.oauth_token === '' ||
    (token.oauth_token_secret !== undefined && typeof token.oauth_token_secret !== 'string')
  ) {
    throw oauth1TypeError(
      'ERR_OAUTH1_INVALID_OPTION',
      'a token must be an object with a string oauth_token and oauth_token_secret',
    );
  }
  return { oauth_token: token.oauth_token, oauth_token_secret: token.oauth_token_secret ?? '' };
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
