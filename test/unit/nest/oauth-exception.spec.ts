import { BadRequestException, HttpException } from '@nestjs/common';
import {
  InvalidResponseError,
  InvalidTokenError,
  MismatchingStateError,
  MissingTokenError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
  TokenExpiredError,
} from '../../../lib/core/errors.js';
import { OAuthException } from '../../../lib/errors/oauth.exception.js';
import { OAuthRedirectException } from '../../../lib/errors/oauth-redirect.exception.js';
import { toHttpException } from '../../../lib/errors/to-http-exception.js';
import { InvalidStateError } from '../../../lib/errors/invalid-state.error.js';
import {
  RedisConnectError,
  RedisLockTimeoutError,
  RedisStoreError,
  RedisUnavailableError,
} from '../../../lib/redis/redis-errors.js';

const endpoint = 'https://op.example/token';

describe('toHttpException', () => {
  it.each([
    [
      new InvalidStateError('missing'),
      400,
      'mismatching_state',
      'The authorization response has no state parameter',
    ],
    [
      new InvalidStateError('unknown'),
      400,
      'mismatching_state',
      'The state does not match a login started in this browser',
    ],
    [
      new InvalidStateError('replayed'),
      400,
      'mismatching_state',
      'The state has already been used',
    ],
    [
      new InvalidStateError('expired'),
      400,
      'mismatching_state',
      'The login took too long: its state has expired',
    ],
    [
      new MismatchingStateError(),
      400,
      'mismatching_state',
      'CSRF warning: the state in the authorization response does not match the request',
    ],
    [
      new OAuthError('access_denied', { description: 'user said no' }),
      400,
      'access_denied',
      'The authorization failed: access_denied',
    ],
    [new OAuthError('<script>', {}), 400, 'server_error', 'The authorization failed: server_error'],
    [
      // A provider echoing a client secret (letters and digits) as its error code.
      new OAuthError('s3cr3tClientSecretValue', {}),
      400,
      'server_error',
      'The authorization failed: server_error',
    ],
    [
      new OAuthError('s3cr3tClientSecretValue', { endpoint, status: 400 }),
      502,
      'server_error',
      'The OAuth provider refused this application: server_error',
    ],
    [
      new OAuthError('login_required', {}),
      400,
      'login_required',
      'The authorization failed: login_required',
    ],
    [
      new OAuthError('invalid_grant', { endpoint, status: 400 }),
      400,
      'invalid_grant',
      'The OAuth provider refused the request: invalid_grant',
    ],
    [
      new OAuthError('invalid_client', { endpoint, status: 401 }),
      502,
      'invalid_client',
      'The OAuth provider refused this application: invalid_client',
    ],
    [
      new OAuthError('server_error', { endpoint, status: 500 }),
      502,
      'server_error',
      'The OAuth provider refused this application: server_error',
    ],
    [
      new InvalidTokenError('signature', 'bad'),
      401,
      'invalid_token',
      'The ID token from the provider is not valid',
    ],
    [new MissingTokenError(), 401, 'missing_token', 'No access token is available'],
    [
      new MissingTokenError({ endpoint }),
      502,
      'invalid_response',
      'The OAuth provider sent no access token',
    ],
    [new TokenExpiredError(), 401, 'token_expired', 'The access token has expired'],
    [
      new OAuthNetworkError(endpoint),
      502,
      'network_error',
      'The OAuth provider could not be reached',
    ],
    [
      new OAuthTimeoutError(endpoint, 100),
      504,
      'timeout',
      'The OAuth provider did not answer in time',
    ],
    [
      new InvalidResponseError(endpoint, 'HTTP 500'),
      502,
      'invalid_response',
      'The OAuth provider sent an invalid response',
    ],
    [
      new RedisUnavailableError('acquire', 'connection lost'),
      503,
      'temporarily_unavailable',
      'The shared store is unavailable: try again shortly',
    ],
    [
      new RedisConnectError('OAUTH_REDIS_URL', 'redis://127.0.0.1:1', 'ECONNREFUSED', 100),
      503,
      'temporarily_unavailable',
      'The shared store is unavailable: try again shortly',
    ],
    [
      new RedisLockTimeoutError(5000),
      503,
      'temporarily_unavailable',
      'Another instance is refreshing this token: try again',
    ],
  ])('%p -> %i %s', (error, status, code, message) => {
    const mapped = toHttpException(error) as OAuthException;
    expect(mapped).toBeInstanceOf(OAuthException);
    expect(mapped).toBeInstanceOf(HttpException);
    expect(mapped.getStatus()).toBe(status);
    expect(mapped.getResponse()).toEqual({ statusCode: status, error: code, message });
    expect(mapped.error).toBe(code);
    expect(mapped.cause).toBe(error);
  });

  it('never puts the provider description in the body', () => {
    const mapped = toHttpException(
      new OAuthError('invalid_grant', {
        endpoint,
        status: 400,
        description: 'code abc123 is used',
      }),
    ) as OAuthException;
    expect(JSON.stringify(mapped.getResponse())).not.toContain('abc123');
  });

  it('passes HttpExceptions through and leaves other errors alone', () => {
    const http = new BadRequestException('x');
    expect(toHttpException(http)).toBe(http);
    const bug = new TypeError('a bug');
    expect(toHttpException(bug)).toBe(bug);
    // Redis refusing a command (WRONGTYPE, NOPERM) is a setup problem: it stays a 500.
    const refused = RedisStoreError.refused('take', 'WRONGTYPE');
    expect(toHttpException(refused)).toBe(refused);
    expect(toHttpException('string')).toBe('string');
  });
});

describe('OAuthRedirectException', () => {
  it('is a 302 HttpException with the URL and no stack frames, and leaves Error.stackTraceLimit as it was', () => {
    const before = Error.stackTraceLimit;
    const redirect = new OAuthRedirectException('https://op.example/authorize?state=s');
    expect(redirect).toBeInstanceOf(HttpException);
    expect(redirect.getStatus()).toBe(302);
    expect(redirect.url).toBe('https://op.example/authorize?state=s');
    expect(redirect.getResponse()).toEqual({
      statusCode: 302,
      message: 'Redirecting to the OAuth provider',
    });
    expect(redirect.stack).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });
});
