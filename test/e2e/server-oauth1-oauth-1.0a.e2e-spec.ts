/**
 * The provider core against the `oauth-1.0a` npm package (a signer written by
 * others), over real HTTP: the three-legged flow, then signed GET and POST
 * requests, for every signature method it can be given (HMAC-SHA1,
 * HMAC-SHA256, RSA-SHA1, RSA-SHA256 through its `hash_function`, PLAINTEXT)
 * and every placement (header, query, form body). The package signs; the
 * test only puts its output on the wire.
 *
 * `oauth-1.0a` treats `request.data` as body parameters and `toHeader()`
 * writes only what `authorize()` returns, so `oauth_callback` and
 * `oauth_verifier` are passed in `data` (signed) and then sent with the other
 * protocol parameters, in one place, as RFC 5849 §3.5 requires.
 * `authorize()` returns the request's own parameters merged into the protocol
 * ones, so only its `oauth_*` entries go on the wire (as `toHeader()` does).
 * Its quirks (URL kept as written, `+` in a query not read as a space) are
 * avoided by the inputs: a lowercase URL and %20 for spaces.
 */
import { createHmac, sign } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import {
  decide,
  startOAuth1ProviderApp,
  type ProviderApp,
} from '../fixtures/oauth1-provider-app.js';

type Placement = 'header' | 'query' | 'body';
const METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'RSA-SHA256', 'PLAINTEXT'] as const;
const PLACEMENTS: Placement[] = ['header', 'query', 'body'];

let app: ProviderApp;
beforeAll(async () => {
  app = await startOAuth1ProviderApp();
});
afterAll(() => app.close());
afterEach(() => expect(app.serverErrors).toEqual([]));

function signer(method: (typeof METHODS)[number]): OAuth {
  const hash = (base: string, key: string): string => {
    switch (method) {
      case 'HMAC-SHA1':
        return createHmac('sha1', key).update(base).digest('base64');
      case 'HMAC-SHA256':
        return createHmac('sha256', key).update(base).digest('base64');
      case 'RSA-SHA1':
        return sign('sha1', Buffer.from(base), app.client.rsaPrivateKey).toString('base64');
      case 'RSA-SHA256':
        return sign('sha256', Buffer.from(base), app.client.rsaPrivateKey).toString('base64');
      default:
        return key;
    }
  };
  return new OAuth({
    consumer: { key: app.client.key, secret: app.client.secret },
    signature_method: method,
    hash_function: hash,
  });
}

/** Signs with oauth-1.0a and sends, with the protocol parameters in one place. */
async function send(
  oauth: OAuth,
  placement: Placement,
  method: 'GET' | 'POST',
  url: string,
  options: {
    token?: OAuth.Token;
    protocol?: Record<string, string>;
    form?: Record<string, string>;
  } = {},
): Promise<Response> {
  const data = { ...options.protocol, ...options.form };
  const signed = oauth.authorize({ url, method, data }, options.token);
  // authorize() merges the request's own parameters into what it returns (it
  // mutates its result); only the oauth_* ones are protocol parameters, as toHeader() knows.
  const protocol = Object.fromEntries(
    Object.entries({ ...options.protocol, ...signed }).filter(([name]) =>
      name.startsWith('oauth_'),
    ),
  ) as Record<string, string>;
  const encoded = Object.entries(protocol)
    .map(([name, value]) => `${oauth.percentEncode(name)}=${oauth.percentEncode(String(value))}`)
    .join('&');
  const formText = options.form ? new URLSearchParams(options.form).toString() : '';
  const headers: Record<string, string> = {};
  let target = url;
  let body: string | undefined = formText || undefined;
  if (placement === 'header') {
    headers.Authorization = oauth.toHeader(
      protocol as unknown as OAuth.Authorization,
    ).Authorization;
  } else if (placement === 'query') {
    target += (url.includes('?') ? '&' : '?') + encoded;
  } else {
    body = formText ? `${formText}&${encoded}` : encoded;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return app.fetch(target, { method, headers, ...(body !== undefined ? { body } : {}) });
}

async function form(response: Response): Promise<Record<string, string>> {
  expect(response.status).toBe(200);
  return Object.fromEntries(new URLSearchParams(await response.text()));
}

describe.each(METHODS.flatMap((m) => PLACEMENTS.map((p) => [m, p] as const)))(
  'oauth-1.0a, %s in the %s',
  (method, placement) => {
    it('runs the three-legged flow, then signed GET and POST requests', async () => {
      const oauth = signer(method);
      const temporary = await form(
        await send(oauth, placement, 'POST', app.endpoints.requestToken, {
          protocol: { oauth_callback: app.client.callback },
        }),
      );
      expect(temporary.oauth_callback_confirmed).toBe('true');
      const decision = await decide(app, temporary.oauth_token!, true);
      const callback = new URL(decision.location!);
      expect(callback.searchParams.get('oauth_token')).toBe(temporary.oauth_token);
      const credentials = await form(
        await send(oauth, placement, 'POST', app.endpoints.accessToken, {
          token: { key: temporary.oauth_token!, secret: temporary.oauth_token_secret! },
          protocol: { oauth_verifier: callback.searchParams.get('oauth_verifier')! },
        }),
      );
      expect(credentials).toMatchObject({ user_id: '1001', screen_name: 'Jane' });
      const token = { key: credentials.oauth_token!, secret: credentials.oauth_token_secret! };

      const get = await send(
        oauth,
        placement === 'body' ? 'header' : placement,
        'GET',
        `${app.endpoints.photos}?file=vacation%20photo.jpg&size=original`,
        { token },
      );
      expect(get.status).toBe(200);
      expect(await get.json()).toMatchObject({
        user: app.user,
        realms: ['photos'],
        query: [
          ['file', 'vacation photo.jpg'],
          ['size', 'original'],
        ],
      });
      const post = await send(oauth, placement, 'POST', app.endpoints.me, {
        token,
        form: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!', lang: 'en' },
      });
      expect(post.status).toBe(200);
      expect(await post.json()).toMatchObject({
        transport: placement,
        form: [
          ['status', ['Hello Ladies + Gentlemen, a signed OAuth request!']],
          ['lang', ['en']],
        ],
      });
    });
  },
);

describe('oauth-1.0a, refusals', () => {
  it('a request token is single-use: a second exchange is refused 401 token_rejected', async () => {
    const oauth = signer('HMAC-SHA1');
    const temporary = await form(
      await send(oauth, 'header', 'POST', app.endpoints.requestToken, {
        protocol: { oauth_callback: 'oob' },
      }),
    );
    const page = await decide(app, temporary.oauth_token!, true);
    const verifier = /<code>([^<]+)<\/code>/.exec(page.body)![1]!;
    const exchange = () =>
      send(oauth, 'header', 'POST', app.endpoints.accessToken, {
        token: { key: temporary.oauth_token!, secret: temporary.oauth_token_secret! },
        protocol: { oauth_verifier: verifier },
      });
    expect((await exchange()).status).toBe(200);
    const again = await exchange();
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/^oauth_problem=token_rejected&/);
  });
});
