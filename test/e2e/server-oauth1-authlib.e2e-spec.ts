/**
 * The provider — the core on plain node:http, and OAuth1ServerModule on
 * Express and Fastify — against Authlib's own OAuth 1 client (Debian
 * python3-authlib 1.2, `authlib.oauth1.client.OAuth1Client` with its
 * `ClientAuth` signer), driven through /usr/bin/python3: the three-legged
 * flow, a signed GET with a query, a signed form POST and a replayed request,
 * for every signature method Authlib's client has (HMAC-SHA1, RSA-SHA1,
 * PLAINTEXT) and every placement (header, query, body).
 *
 * `requests` and `httpx` are not installed for the system Python, so the
 * transport is a urllib session shaped like the one the client expects
 * (test/fixtures/authlib_oauth1_client.py); all signing is Authlib's.
 *
 * Authlib 1.2 sends every protocol parameter twice in the QUERY and BODY
 * placements (authlib/authlib#542, `ClientAuth.sign` renders twice). RFC 5849
 * §3.1 forbids a repeated protocol parameter, and the provider refuses it
 * (400 parameter_rejected), as oauthlib (Flask-OAuthlib's engine) does. So
 * those placements are run twice: as Authlib sends them (refused), and with
 * the transport dropping the second copies byte for byte (the signature is
 * still Authlib's), which must then pass the whole flow.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProviderApp } from '../fixtures/oauth1-provider-app.js';
import { PROVIDER_KINDS, startProviderApp } from '../fixtures/nest-apps/oauth1-provider.app.js';

const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('../fixtures/authlib_oauth1_client.py', import.meta.url));

interface DriverOutput {
  failed?: { status: number; body: string };
  request_token: Record<string, string>;
  consent: { status: number; body: unknown };
  decision: { status: number };
  token: Record<string, string>;
  get: { status: number; body: string };
  post: { status: number; body: string };
  replay: { first: number; again: number; body: string };
}

function runAuthlib(config: Record<string, unknown>): Promise<DriverOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [DRIVER], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`Authlib driver failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as DriverOutput);
    });
    child.stdin!.end(JSON.stringify(config));
  });
}

const QUERY: Array<[string, string]> = [
  ['q', 'Ladies + Gentlemen, a/b?c=d&é☃'],
  ['x', '2'],
  ['x', '1'],
  ['empty', ''],
];
const FORM: Array<[string, string]> = [
  ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
  ['é', '☃ 😀'],
];

const METHODS = ['HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT'];
const CASES = METHODS.flatMap((method) =>
  [
    ['HEADER', false],
    ['QUERY', true],
    ['BODY', true],
  ].map(([type, repair]) => [method, type as string, repair as boolean] as const),
);

function driverConfig(
  app: ProviderApp,
  method: string,
  type: string,
  callback: boolean,
  repair: boolean,
) {
  return {
    origin: app.origin,
    url: app.url,
    client_key: app.client.key,
    client_secret: app.client.secret,
    rsa_key: app.client.rsaPrivateKey,
    signature_method: method,
    signature_type: type,
    callback: callback ? app.client.callback : 'oob',
    repair,
    endpoints: {
      request_token: app.endpoints.requestToken,
      authorize: app.endpoints.authorize,
      access_token: app.endpoints.accessToken,
      me: app.endpoints.me,
      photos: app.endpoints.photos,
    },
    query: QUERY,
    form: FORM,
  };
}

describe.each(PROVIDER_KINDS)('the %s provider', (kind) => {
  let app: ProviderApp;
  beforeAll(async () => {
    expect(existsSync(PYTHON)).toBe(true);
    app = await startProviderApp(kind);
  });
  afterAll(() => app?.close());
  afterEach(() => expect(app.serverErrors).toEqual([]));

  describe.each(METHODS.flatMap((m) => ['QUERY', 'BODY'].map((t) => [m, t])))(
    'Authlib OAuth1Client, %s, signature type %s, as Authlib sends it (authlib/authlib#542)',
    (method, type) => {
      it('is refused: every protocol parameter is repeated (400 parameter_rejected)', async () => {
        const out = await runAuthlib(driverConfig(app, method!, type!, true, false));
        expect(out.failed).toEqual({
          status: 400,
          body: 'oauth_problem=parameter_rejected&oauth_problem_advice=oauth_nonce+is+sent+more+than+once',
        });
      });
    },
  );

  describe.each(CASES)(
    'Authlib OAuth1Client, %s, signature type %s (repaired: %s)',
    (method, type, repair) => {
      it.each([
        ['a callback', true],
        ['oob', false],
      ])(
        'runs the flow with %s, signed GET and POST, and a replay is refused',
        async (_, callback) => {
          const out = await runAuthlib(driverConfig(app, method, type, callback, repair));
          expect(out.failed).toBeUndefined();
          expect(out.request_token.oauth_callback_confirmed).toBe('true');
          expect(out.consent).toEqual({
            status: 200,
            body: {
              client: app.client.key,
              realms: ['photos'],
              redirectUri: callback ? app.client.callback : 'oob',
            },
          });
          expect(out.decision.status).toBe(callback ? 302 : 200);
          expect(out.token).toMatchObject({ user_id: '1001', screen_name: 'Jane' });

          expect(out.get.status).toBe(200);
          expect(JSON.parse(out.get.body)).toMatchObject({
            user: app.user,
            realms: ['photos'],
            transport: type.toLowerCase(),
            method: 'GET',
            query: QUERY,
          });
          expect(out.post.status).toBe(200);
          expect(JSON.parse(out.post.body)).toMatchObject({
            method: 'POST',
            query: [['a', '1']],
            form: FORM.map(([name, value]) => [name, [value]]),
          });
          expect(out.replay.first).toBe(200);
          expect(out.replay.again).toBe(401);
          expect(out.replay.body).toMatch(/^oauth_problem=nonce_used&/);
        },
      );
    },
  );
});
