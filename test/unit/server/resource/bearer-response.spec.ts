/**
 * RFC 6750 §3 responses: status, WWW-Authenticate challenge, JSON body,
 * and what authorization-server failures become.
 */
import {
  InvalidResponseError,
  InvalidTokenError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
} from '../../../../lib/core/errors.js';
import {
  insufficientScope,
  invalidRequest,
  invalidToken,
  missingToken,
} from '../../../../lib/server/resource/bearer-error.js';
import {
  bearerChallenge,
  bearerErrorResponse,
} from '../../../../lib/server/resource/bearer-response.js';

describe('bearerErrorResponse', () => {
  it('no token: 401 with only the realm, no body', () => {
    expect(bearerErrorResponse(missingToken(), 'orders')).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="orders"', 'Cache-Control': 'no-store' },
    });
  });

  it('invalid_token: 401 with error and description, JSON body', () => {
    const res = bearerErrorResponse(invalidToken('expired', 'The access token expired'));
    expect(res).toEqual({
      status: 401,
      headers: {
        'WWW-Authenticate':
          'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
        'Cache-Control': 'no-store',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        error: 'invalid_token',
        error_description: 'The access token expired',
      }),
    });
  });

  it('insufficient_scope: 403 naming every needed scope', () => {
    const res = bearerErrorResponse(insufficientScope(['orders:read', 'orders:write']));
    expect(res.status).toBe(403);
    expect(res.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token does not grant every scope this resource needs", scope="orders:read orders:write"',
    );
    expect(JSON.parse(res.body!)).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token does not grant every scope this resource needs',
    });
  });

  it('invalid_request: 400', () => {
    const res = bearerErrorResponse(invalidRequest('repeated', 'Sent twice'));
    expect(res.status).toBe(400);
    expect(res.headers['WWW-Authenticate']).toContain('error="invalid_request"');
  });

  it('the core’s InvalidTokenError is invalid_token', () => {
    const res = bearerErrorResponse(new InvalidTokenError('signature', 'bad'));
    expect(res.status).toBe(401);
    expect(res.headers['WWW-Authenticate']).toContain('error="invalid_token"');
  });

  it('authorization server failures: 502, a timeout 504; bodies say only that', () => {
    const endpoint = 'https://as.example.com/introspect';
    const cases: [unknown, number][] = [
      [new OAuthNetworkError(endpoint), 502],
      [new InvalidResponseError(endpoint, 'HTTP 500'), 502],
      [new OAuthError('invalid_client', { description: 'secret xyz wrong', endpoint }), 502],
      [new OAuthTimeoutError(endpoint, 5000), 504],
    ];
    for (const [err, status] of cases) {
      const res = bearerErrorResponse(err);
      expect(res.status).toBe(status);
      expect(res.headers['WWW-Authenticate']).toBeUndefined();
      expect(res.body).not.toContain('as.example.com');
      expect(res.body).not.toContain('xyz');
      expect(JSON.parse(res.body!).error).toBe('temporarily_unavailable');
    }
  });

  it('anything else (a storage bug): 500 server_error, nothing of the error said', () => {
    const res = bearerErrorResponse(new Error('db password hunter2'));
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('hunter2');
  });
});

describe('bearerChallenge', () => {
  it('quotes the realm as an RFC 7230 quoted-string', () => {
    expect(bearerChallenge(missingToken(), 'a "b" \\c\r\n')).toBe('Bearer realm="a \\"b\\" \\\\c"');
  });
});
