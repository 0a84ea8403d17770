/**
 * Issue 11 item 5 against the hostile provider's echo route: a provider that
 * puts every value it received — raw, percent-encoded (either hex case) and
 * form-encoded — into `error`, `error_description`, `error_uri` and other
 * members cannot get any secret into any field of the error: message,
 * description, `error` itself, uri, the attached response, or what a logger
 * prints. Over both transports: the platform `fetch` and `nodeHttpFetch()`.
 */
import { inspect } from 'node:util';
import { OAuthError } from '../../lib/core/errors.js';
import { OAuth1Client } from '../../lib/core/oauth1/oauth1-client.js';
import type { OAuth1ClientOptions } from '../../lib/core/oauth1/oauth1-types.js';
import type { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { fetchUserinfo } from '../../lib/core/oidc/userinfo.js';
import {
  describeOverTransports,
  HOSTILE_CLIENT,
  hostileClient,
  HOSTILE_ROUTES,
  startHostileProvider,
  transport,
  type HostileProvider,
} from '../fixtures/hostile-provider.js';
import { failure } from '../fixtures/rejection.js';

/** Values with characters that every encoding writes differently. */
const CODE = 'code value/+=&é~*';
const VERIFIER = 'dBjftJeZ4CVP-mJ92K1rkyFGlUOrOkYs9xiV2dK3cWk';
const REFRESH_TOKEN = 'refresh token+/=%';
const PASSWORD = 'correct horse+battery/staple';
const TOKEN = 'access token:to revoke+/';

let op: HostileProvider;

beforeAll(async () => {
  op = await startHostileProvider();
});
afterAll(() => op?.close());
beforeEach(() => op.reset());

const client = hostileClient;

/** Every field of an error and everything a logger could print about it. */
function everything(err: OAuthError): string {
  return [
    err.message,
    err.error,
    err.description,
    err.uri,
    JSON.stringify(err),
    JSON.stringify(err.response),
    inspect(err, { depth: 8, showHidden: true }),
    String(err.stack),
  ].join('\n');
}

/** The forms a provider may echo a value in (the ones the echo route uses, and more). */
function forms(value: string): string[] {
  const percent = encodeURIComponent(value);
  return [
    value,
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    new URLSearchParams({ v: value }).toString().slice(2),
  ];
}

function expectNoneOf(err: OAuthError, secrets: string[]): void {
  const printed = everything(err);
  for (const secret of secrets) {
    for (const form of forms(secret)) expect(printed).not.toContain(form);
  }
}

/** The echo route did receive (and so did echo) each value, in the body or in HTTP Basic. */
function expectEchoed(values: string[]): void {
  const last = op.requests.at(-1);
  const received = [...new URLSearchParams(last?.body ?? '').values()];
  const authorization = String(last?.headers.authorization ?? '');
  if (authorization.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString();
    for (const part of decoded.split(':'))
      received.push(decodeURIComponent(part.replace(/\+/g, ' ')));
  }
  for (const value of values) expect(received).toContain(value);
}

describeOverTransports('OAuth 2 errors echoing the request', () => {
  it('code exchange, client_secret_post: error (the secret itself), description, uri, response', async () => {
    const err = await failure(() =>
      client({ tokenEndpointAuthMethod: 'client_secret_post' }).fetchToken(
        op.url(HOSTILE_ROUTES.echo),
        { code: CODE, codeVerifier: VERIFIER },
      ),
    );
    expectEchoed([CODE, VERIFIER, HOSTILE_CLIENT.clientSecret]);
    expect(err).toBeInstanceOf(OAuthError);
    // `{"error": "<client secret>"}`: the code itself is redacted
    expect(err.error).toBe('[redacted]');
    expect(err.status).toBe(400);
    expect(err.description).toContain('[redacted]');
    expect(err.uri).toMatch(/^https:\/\/errors\.example\/echo\?body=/);
    expectNoneOf(err, [CODE, VERIFIER, HOSTILE_CLIENT.clientSecret]);
  });

  it('client_secret_basic: the secret decoded from the Basic header, and the header itself', async () => {
    const err = await failure(() =>
      client().fetchToken(op.url(HOSTILE_ROUTES.echo), { code: CODE, codeVerifier: VERIFIER }),
    );
    const header = String(op.requests.at(-1)?.headers.authorization);
    expect(header).toMatch(/^Basic /);
    expect(err.error).toBe('[redacted]');
    expectNoneOf(err, [CODE, VERIFIER, HOSTILE_CLIENT.clientSecret, header.slice(6)]);
  });

  it('refresh: the refresh token', async () => {
    const err = await failure(() =>
      client().refreshToken(op.url(HOSTILE_ROUTES.echo), { refreshToken: REFRESH_TOKEN }),
    );
    expectEchoed([REFRESH_TOKEN]);
    expectNoneOf(err, [REFRESH_TOKEN, HOSTILE_CLIENT.clientSecret]);
  });

  it('password grant: the password (and an extra parameter the client does not know)', async () => {
    const err = await failure(() =>
      client({ tokenEndpointAuthMethod: 'client_secret_post' }).fetchToken(
        op.url(HOSTILE_ROUTES.echo),
        { username: 'johndoe', password: PASSWORD, device_secret: 'an extra secret+/=' },
      ),
    );
    expectEchoed([PASSWORD]);
    expectNoneOf(err, [PASSWORD, 'an extra secret+/=', HOSTILE_CLIENT.clientSecret]);
  });

  it('client_secret_jwt: the signed client assertion', async () => {
    const err = await failure(() =>
      client({ tokenEndpointAuthMethod: 'client_secret_jwt' }).fetchToken(
        op.url(HOSTILE_ROUTES.echo),
        { code: CODE },
      ),
    );
    const assertion = new URLSearchParams(op.requests.at(-1)?.body).get('client_assertion');
    expect(assertion).toMatch(/^ey/);
    expectNoneOf(err, [CODE, assertion!]);
  });

  it.each([
    [
      'revocation',
      (c: OAuth2Client) => c.revokeToken(op.url(HOSTILE_ROUTES.echo), { token: TOKEN }),
    ],
    [
      'introspection',
      (c: OAuth2Client) => c.introspectToken(op.url(HOSTILE_ROUTES.echo), { token: TOKEN }),
    ],
  ])('%s: the token', async (_what, call) => {
    const err = await failure(() =>
      call(client({ tokenEndpointAuthMethod: 'client_secret_post' })),
    );
    expectEchoed([TOKEN]);
    expectNoneOf(err, [TOKEN, HOSTILE_CLIENT.clientSecret]);
  });
});

describeOverTransports('UserInfo errors echoing the request', () => {
  it('a WWW-Authenticate challenge carrying the access token in error and error_description', async () => {
    const err = await failure(() =>
      fetchUserinfo(op.url(HOSTILE_ROUTES.echoChallenge), TOKEN, { http: transport }),
    );
    expect(String(op.requests.at(-1)?.headers.authorization)).toBe(`Bearer ${TOKEN}`);
    expect(err).toMatchObject({ error: '[redacted]', status: 401 });
    expectNoneOf(err, [TOKEN]);
  });
});

describeOverTransports('OAuth 1 errors echoing the request', () => {
  const consumer: OAuth1ClientOptions = {
    clientId: 'consumer',
    clientSecret: 'consumer secret+/=&é',
    signatureType: 'body',
  };
  /** The secrets, and the HMAC/PLAINTEXT key (a PLAINTEXT signature is the key). */
  const secrets = [
    'consumer secret+/=&é',
    'request secret+/=',
    'verifier value+/',
    'request token',
    `${encodeURIComponent('consumer secret+/=&é')}&${encodeURIComponent('request secret+/=')}`,
  ];

  /** A token-credentials request to `route`, signed with `signatureMethod`; what it threw. */
  const exchange = (route: string, signatureMethod: 'HMAC-SHA1' | 'PLAINTEXT') =>
    failure(() =>
      new OAuth1Client({ ...consumer, ...transport, signatureMethod }).fetchAccessToken(
        op.url(route),
        {
          token: { oauth_token: 'request token', oauth_token_secret: 'request secret+/=' },
          verifier: 'verifier value+/',
        },
      ),
    );

  it.each(['HMAC-SHA1', 'PLAINTEXT'] as const)(
    '%s token credentials: the client and token secrets, the verifier, the signing key',
    async (signatureMethod) => {
      const err = await exchange(HOSTILE_ROUTES.echo, signatureMethod);
      expectEchoed(['verifier value+/']);
      expect(err).toBeInstanceOf(OAuthError);
      expectNoneOf(err, secrets);
    },
  );

  it.each(['HMAC-SHA1', 'PLAINTEXT'] as const)(
    '%s, the provider answering with OAuth Problem Reporting (oauth_problem, oauth_problem_advice)',
    async (signatureMethod) => {
      const err = await exchange(HOSTILE_ROUTES.echoProblem, signatureMethod);
      expectEchoed(['verifier value+/']);
      expect(err).toMatchObject({ error: '[redacted]', status: 401 });
      expect(err.description).toContain('[redacted]');
      expectNoneOf(err, secrets);
    },
  );
});
