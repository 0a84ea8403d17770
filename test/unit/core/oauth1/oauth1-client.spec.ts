import { createHmac, generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import {
  MismatchingStateError,
  MissingTokenError,
  OAuthError,
} from '../../../../lib/core/errors.js';
import { OAuth1Client } from '../../../../lib/core/oauth1/oauth1-client.js';
import { signatureBaseString } from '../../../../lib/core/oauth1/signature.js';

const CLIENT = { clientId: 'dpf43f3p2l4k3l03', clientSecret: 'kd94hf93k423kf44' };
const TOKEN = { token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' };
const FIXED = { nonce: 'kllo9940pd9333jh', timestamp: 1191242096 };

function authParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name, value] of header
    .replace(/^OAuth /, '')
    .matchAll(/([^=\s,]+)="((?:[^"\\]|\\.)*)"/g)) {
    params[name!] = name === 'realm' ? value!.replace(/\\(.)/g, '$1') : decodeURIComponent(value!);
  }
  return params;
}

function caught(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('OAuth1Client.sign: published vectors', () => {
  it('reproduces the OAuth Core 1.0a Appendix A.5 request (photos example) with a realm', () => {
    const client = new OAuth1Client({ ...CLIENT, ...TOKEN, realm: 'http://photos.example.net/' });
    const signed = client.sign(
      'GET',
      'http://photos.example.net/photos?file=vacation.jpg&size=original',
      FIXED,
    );
    expect(signed).toEqual({
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      headers: {
        Authorization:
          'OAuth realm="http://photos.example.net/", oauth_consumer_key="dpf43f3p2l4k3l03", ' +
          'oauth_nonce="kllo9940pd9333jh", oauth_signature_method="HMAC-SHA1", ' +
          'oauth_timestamp="1191242096", oauth_version="1.0", oauth_token="nnch734d00sl2jdk", ' +
          'oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"',
      },
    });
  });

  it('reproduces Twitter\'s published "creating a signature" example (form body, reserved characters)', () => {
    const client = new OAuth1Client({
      clientId: 'xvz1evFS4wEEPTGEFPHBog',
      clientSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    });
    const signed = client.sign(
      'POST',
      'https://api.twitter.com/1/statuses/update.json?include_entities=true',
      {
        body: new URLSearchParams({ status: 'Hello Ladies + Gentlemen, a signed OAuth request!' }),
        nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
        timestamp: 1318622958,
      },
    );
    expect(authParams(signed.headers.Authorization!).oauth_signature).toBe(
      'tnnArxj06cWHq44gCs1OSKk/jLY=',
    );
    expect(signed.body).toBe('status=Hello+Ladies+%2B+Gentlemen%2C+a+signed+OAuth+request%21');
    expect(signed.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });
});

describe('OAuth1Client.sign: where the parameters go (RFC 5849 §3.5)', () => {
  const url = 'https://api.example.com/1/items?b=2&a=1#frag';

  it('query type: appends the protocol parameters to the query, same signature as the header type', () => {
    const header = new OAuth1Client({ ...CLIENT, ...TOKEN }).sign('GET', url, FIXED);
    const query = new OAuth1Client({ ...CLIENT, ...TOKEN, signatureType: 'query' }).sign(
      'GET',
      url,
      FIXED,
    );
    expect(query.headers).toEqual({});
    const target = new URL(query.url);
    expect(target.hash).toBe('');
    expect(
      query.url.startsWith('https://api.example.com/1/items?b=2&a=1&oauth_consumer_key='),
    ).toBe(true);
    expect(target.searchParams.get('oauth_signature')).toBe(
      authParams(header.headers.Authorization!).oauth_signature,
    );
    expect(target.searchParams.get('oauth_token')).toBe(TOKEN.token);
  });

  it('query type on a URL without a query starts one', () => {
    const signed = new OAuth1Client({ ...CLIENT, signatureType: 'query' }).sign(
      'GET',
      'http://h.example/p',
      FIXED,
    );
    expect(signed.url).toMatch(/^http:\/\/h\.example\/p\?oauth_consumer_key=dpf43f3p2l4k3l03&/);
  });

  it('body type: appends the protocol parameters to the form body and signs the body parameters', () => {
    const client = new OAuth1Client({ ...CLIENT, ...TOKEN, signatureType: 'body' });
    const signed = client.sign('POST', 'http://h.example/p', {
      body: new URLSearchParams({ x: 'a b' }),
      ...FIXED,
    });
    expect(signed.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
    });
    const form = new URLSearchParams(signed.body as string);
    expect(form.get('x')).toBe('a b');
    const params = [...form].filter(([name]) => name !== 'oauth_signature');
    const expected = createHmac('sha1', `${CLIENT.clientSecret}&${TOKEN.tokenSecret}`)
      .update(signatureBaseString('POST', 'http://h.example/p', params))
      .digest('base64');
    expect(form.get('oauth_signature')).toBe(expected);
  });

  it('body type without a body sends the protocol parameters as the form', () => {
    const signed = new OAuth1Client({ ...CLIENT, signatureType: 'body' }).sign(
      'POST',
      'http://h.example/p',
      FIXED,
    );
    expect(signed.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(String(signed.body)).toMatch(/^oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=/);
  });

  it('body type refuses a non-form body and a GET, with coded TypeErrors', () => {
    const client = new OAuth1Client({ ...CLIENT, signatureType: 'body' });
    const json = caught(() =>
      client.sign('POST', 'http://h.example/p', {
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
      }),
    );
    expect(json).toBeInstanceOf(TypeError);
    expect(json.code).toBe('ERR_OAUTH1_BODY_SIGNATURE');
    expect(caught(() => client.sign('GET', 'http://h.example/p')).code).toBe(
      'ERR_OAUTH1_BODY_SIGNATURE',
    );
  });

  it('refuses a body on GET and HEAD before anything is sent', () => {
    const client = new OAuth1Client(CLIENT);
    expect(caught(() => client.sign('GET', 'http://h.example/p', { body: 'x' })).code).toBe(
      'ERR_OAUTH1_BODY_NOT_ALLOWED',
    );
  });

  it('signs a string body only when its content type is a form', () => {
    const client = new OAuth1Client(CLIENT);
    const bare = authParams(
      client.sign('POST', 'http://h.example/p', FIXED).headers.Authorization!,
    );
    const json = authParams(
      client.sign('POST', 'http://h.example/p', {
        headers: { 'content-type': 'application/json' },
        body: 'a=1',
        ...FIXED,
      }).headers.Authorization!,
    );
    const form = authParams(
      client.sign('POST', 'http://h.example/p', {
        headers: new Headers({
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        }),
        body: 'a=1',
        ...FIXED,
      }).headers.Authorization!,
    );
    expect(json.oauth_signature).toBe(bare.oauth_signature);
    expect(form.oauth_signature).not.toBe(bare.oauth_signature);
  });

  it('escapes the realm as a quoted-string, keeps it out of the signature, and refuses control characters', () => {
    const plain = new OAuth1Client(CLIENT).sign('GET', 'http://h.example/', FIXED);
    const withRealm = new OAuth1Client({ ...CLIENT, realm: 'My "quoted" \\ realm' }).sign(
      'GET',
      'http://h.example/',
      FIXED,
    );
    expect(withRealm.headers.Authorization).toMatch(
      /^OAuth realm="My \\"quoted\\" \\\\ realm", oauth_consumer_key=/,
    );
    expect(authParams(withRealm.headers.Authorization!).realm).toBe('My "quoted" \\ realm');
    expect(authParams(withRealm.headers.Authorization!).oauth_signature).toBe(
      authParams(plain.headers.Authorization!).oauth_signature,
    );
    expect(caught(() => new OAuth1Client({ ...CLIENT, realm: 'a\r\nX-Injected: 1' })).code).toBe(
      'ERR_OAUTH1_INVALID_OPTION',
    );
  });

  it('uppercases the method, replaces a caller Authorization header and keeps the other headers', () => {
    const signed = new OAuth1Client(CLIENT).sign('patch', 'http://h.example/', {
      headers: [
        ['authorization', 'Bearer stale'],
        ['x-trace', '1'],
      ],
      body: 'raw',
      ...FIXED,
    });
    expect(signed.method).toBe('PATCH');
    expect(signed.headers['x-trace']).toBe('1');
    expect(signed.headers.authorization).toBeUndefined();
    expect(signed.headers.Authorization).toMatch(/^OAuth /);
    expect(signed.body).toBe('raw');
  });
});

describe('OAuth1Client.sign: credentials, nonce and timestamp', () => {
  it('uses a per-call token instead of the client token, and none with token: null', () => {
    const client = new OAuth1Client({ ...CLIENT, ...TOKEN });
    const base = (token: string | undefined) =>
      signatureBaseString('GET', 'http://h.example/', [
        ['oauth_consumer_key', CLIENT.clientId],
        ['oauth_nonce', FIXED.nonce],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', String(FIXED.timestamp)],
        ['oauth_version', '1.0'],
        ...(token ? [['oauth_token', token] as [string, string]] : []),
      ]);
    const other = authParams(
      client.sign('GET', 'http://h.example/', {
        token: { oauth_token: 'user-2', oauth_token_secret: 's2&x' },
        ...FIXED,
      }).headers.Authorization!,
    );
    expect(other.oauth_token).toBe('user-2');
    expect(other.oauth_signature).toBe(
      createHmac('sha1', `${CLIENT.clientSecret}&s2%26x`).update(base('user-2')).digest('base64'),
    );
    const none = authParams(
      client.sign('GET', 'http://h.example/', { token: null, ...FIXED }).headers.Authorization!,
    );
    expect(none.oauth_token).toBeUndefined();
    expect(none.oauth_signature).toBe(
      createHmac('sha1', `${CLIENT.clientSecret}&`).update(base(undefined)).digest('base64'),
    );
    // The client's own token is untouched, and still used by default.
    expect(client.token).toEqual({
      oauth_token: TOKEN.token,
      oauth_token_secret: TOKEN.tokenSecret,
    });
    expect(
      authParams(client.sign('GET', 'http://h.example/', FIXED).headers.Authorization!).oauth_token,
    ).toBe(TOKEN.token);
  });

  it('generates unique 128-bit base64url nonces and the current time in seconds', () => {
    const client = new OAuth1Client(CLIENT);
    const nonces = new Set<string>();
    const before = Math.floor(Date.now() / 1000);
    let timestamp = 0;
    let malformed = 0;
    for (let i = 0; i < 2000; i++) {
      const params = authParams(client.sign('GET', 'http://h.example/').headers.Authorization!);
      if (!/^[A-Za-z0-9_-]{22}$/.test(params.oauth_nonce!)) malformed++;
      nonces.add(params.oauth_nonce!);
      timestamp = Number(params.oauth_timestamp);
    }
    expect(malformed).toBe(0);
    expect(nonces.size).toBe(2000);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('signs RSA-SHA256 with the private key (PEM string) and puts no secret in the header', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const client = new OAuth1Client({
      ...CLIENT,
      ...TOKEN,
      signatureMethod: 'RSA-SHA256',
      rsaKey: privateKey,
    });
    const header = client.sign('GET', 'http://h.example/', FIXED).headers.Authorization!;
    expect(authParams(header).oauth_signature_method).toBe('RSA-SHA256');
    expect(Buffer.from(authParams(header).oauth_signature!, 'base64')).toHaveLength(256);
    expect(header).not.toContain(CLIENT.clientSecret);
    expect(header).not.toContain(TOKEN.tokenSecret);
  });
});

describe('OAuth1Client: options and secrecy', () => {
  it('refuses bad options with coded TypeErrors', () => {
    expect(caught(() => new OAuth1Client({} as never)).code).toBe('ERR_OAUTH1_INVALID_OPTION');
    expect(
      caught(() => new OAuth1Client({ ...CLIENT, signatureMethod: 'HMAC-MD5' as never })).code,
    ).toBe('ERR_OAUTH1_INVALID_OPTION');
    expect(
      caught(() => new OAuth1Client({ ...CLIENT, signatureType: 'cookie' as never })).code,
    ).toBe('ERR_OAUTH1_INVALID_OPTION');
    expect(caught(() => new OAuth1Client({ ...CLIENT, token: 42 as never })).code).toBe(
      'ERR_OAUTH1_INVALID_OPTION',
    );
    expect(caught(() => new OAuth1Client({ ...CLIENT, signatureMethod: 'RSA-SHA1' })).code).toBe(
      'ERR_OAUTH1_INVALID_RSA_KEY',
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(
      caught(
        () => new OAuth1Client({ ...CLIENT, signatureMethod: 'RSA-SHA1', rsaKey: ec.privateKey }),
      ).code,
    ).toBe('ERR_OAUTH1_INVALID_RSA_KEY');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      caught(
        () => new OAuth1Client({ ...CLIENT, signatureMethod: 'RSA-SHA1', rsaKey: rsa.publicKey }),
      ).code,
    ).toBe('ERR_OAUTH1_INVALID_RSA_KEY');
    const badPem = caught(
      () =>
        new OAuth1Client({
          ...CLIENT,
          signatureMethod: 'RSA-SHA1',
          rsaKey: '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n',
        }),
    );
    expect(badPem.code).toBe('ERR_OAUTH1_INVALID_RSA_KEY');
    expect(badPem.message).not.toContain('c2VjcmV0');
    expect(caught(() => new OAuth1Client(CLIENT).sign('GET', 'not a url')).code).toBe(
      'ERR_OAUTH1_INVALID_URL',
    );
  });

  it('keeps secrets, token secret and verifier out of inspect() and JSON', () => {
    const client = new OAuth1Client({ ...CLIENT, ...TOKEN, verifier: 'verifier-value-123' });
    const dumps = [
      inspect(client, { depth: 5, showHidden: true }),
      JSON.stringify(client),
      String(client),
    ];
    for (const dump of dumps) {
      expect(dump).not.toContain(CLIENT.clientSecret);
      expect(dump).not.toContain(TOKEN.tokenSecret);
      expect(dump).not.toContain('verifier-value-123');
    }
    expect(client.verifier).toBe('verifier-value-123');
  });

  it('exposes the token as an OAuth1Token and accepts one', () => {
    const client = new OAuth1Client(CLIENT);
    expect(client.token).toBeUndefined();
    client.token = { oauth_token: 't', oauth_token_secret: 's', user_id: '7' };
    expect(client.token).toEqual({ oauth_token: 't', oauth_token_secret: 's', user_id: '7' });
    client.token = undefined;
    expect(client.token).toBeUndefined();
    expect(caught(() => (client.token = { oauth_token: '' } as never)).code).toBe(
      'ERR_OAUTH1_INVALID_OPTION',
    );
  });
});

describe('OAuth1Client: authorization step (RFC 5849 §2.2)', () => {
  it('builds the authorization URL with the request token and extra parameters, keeping the query', () => {
    const client = new OAuth1Client({ ...CLIENT, token: 'hh5s93j4hdidpola', tokenSecret: 'x' });
    expect(client.createAuthorizationUrl('https://photos.example.net/authorize')).toBe(
      'https://photos.example.net/authorize?oauth_token=hh5s93j4hdidpola',
    );
    expect(
      client.createAuthorizationUrl('https://photos.example.net/authorize?lang=en', {
        requestToken: 'other',
        force_login: true,
        screen_name: 'jane doe',
        skipped: undefined,
      }),
    ).toBe(
      'https://photos.example.net/authorize?lang=en&oauth_token=other&force_login=true&screen_name=jane+doe',
    );
    expect(() =>
      new OAuth1Client(CLIENT).createAuthorizationUrl('https://p.example/authorize'),
    ).toThrow(MissingTokenError);
  });

  it('reads the callback (relative or absolute) and keeps the verifier', () => {
    const client = new OAuth1Client(CLIENT);
    expect(
      client.parseAuthorizationResponse(
        '/ready?x=1&oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884',
      ),
    ).toEqual({
      x: '1',
      oauth_token: 'hh5s93j4hdidpola',
      oauth_verifier: 'hfdp7dh39dks9884',
    });
    expect(client.verifier).toBe('hfdp7dh39dks9884');
    client.parseAuthorizationResponse(
      new URL('http://printer.example.com/ready?oauth_token=a&oauth_verifier=b&oauth_verifier=c'),
    );
    expect(client.verifier).toBe('b');
  });

  it('turns a refusal, a provider problem or a missing parameter into OAuthErrors without echoing values', () => {
    const client = new OAuth1Client(CLIENT);
    const denied = caught(() =>
      client.parseAuthorizationResponse('/cb?denied=sekrit-request-token'),
    );
    expect(denied).toBeInstanceOf(OAuthError);
    expect((denied as OAuthError).error).toBe('access_denied');
    expect(denied.message).not.toContain('sekrit');
    const problem = caught(() =>
      client.parseAuthorizationResponse('/cb?oauth_problem=user_refused'),
    );
    expect((problem as OAuthError).error).toBe('user_refused');
    const missing = caught(() => client.parseAuthorizationResponse('/cb?oauth_token=sekrit-token'));
    expect((missing as OAuthError).error).toBe('invalid_request');
    expect(missing.message).toBe('the authorization response has no oauth_verifier');
    expect(caught(() => client.parseAuthorizationResponse('http://[bad')).code).toBe(
      'ERR_OAUTH1_INVALID_URL',
    );
    expect(client.verifier).toBeUndefined();
  });

  it('refuses to exchange without a request token or a verifier, or for another request token', async () => {
    const client = new OAuth1Client(CLIENT);
    await expect(
      client.fetchAccessToken('http://127.0.0.1:9/token', { verifier: 'v' }),
    ).rejects.toBeInstanceOf(MissingTokenError);
    await expect(
      client.fetchAccessToken('http://127.0.0.1:9/token', {
        token: { oauth_token: 'rt', oauth_token_secret: 's' },
      }),
    ).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_OAUTH1_MISSING_VERIFIER' });
    client.parseAuthorizationResponse('/cb?oauth_token=rt-a&oauth_verifier=v');
    await expect(
      client.fetchAccessToken('http://127.0.0.1:9/token', {
        token: { oauth_token: 'rt-b', oauth_token_secret: 's' },
      }),
    ).rejects.toBeInstanceOf(MismatchingStateError);
  });
});

describe('OAuth1Client: the fetch option', () => {
  it('sends every request through the given fetch, signed, with the method and body it built', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const client = new OAuth1Client({
      ...CLIENT,
      ...TOKEN,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init! });
        return new Response('{}', { status: 201 });
      },
    });
    const response = await client.put('https://api.example.com/items/1?x=1', {
      body: new URLSearchParams({ name: 'n' }),
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(201);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://api.example.com/items/1?x=1');
    expect(calls[0]!.init.method).toBe('PUT');
    expect(calls[0]!.init.body).toBe('name=n');
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.accept).toBe('application/json');
    expect(authParams(headers.Authorization!).oauth_token).toBe(TOKEN.token);
  });
});
