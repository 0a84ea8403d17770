/**
 * Hostile signed requests: each refused with the RFC 5849 §3.2 status and
 * its oauth_problem, never a crash; and no refusal carries a secret.
 */
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import type { OAuth1Nonce, OAuth1NonceKey } from '../../../../lib/server/oauth1/index.js';
import {
  CALLBACK,
  CLIENTS,
  ORIGIN,
  URLS,
  client,
  expectRefused,
  fetchRequestToken,
  formBody,
  issueAccessToken,
  makeProvider,
  resourceRequest,
  toServerRequest,
  type TestProvider,
} from './support.js';

let t: TestProvider;
beforeEach(() => {
  t = makeProvider();
});

/** The resource request of client A with a fresh access token, as sent. */
async function validResource(): Promise<ServerRequest> {
  return resourceRequest(t, await issueAccessToken(t));
}

describe('transport and syntax (400)', () => {
  it('refuses plain http while enforceSsl is on (the default)', async () => {
    const signed = client().sign('GET', 'http://provider.example/api/me', {
      timestamp: t.clock.now,
    });
    await expectRefused(
      t.provider.verifyRequest(toServerRequest(signed)),
      400,
      'insecure_transport',
    );
  });

  it('refuses a missing protocol parameter, naming it', async () => {
    const request = await validResource();
    const header = String(request.headers.authorization).replace(/oauth_nonce="[^"]*", /, '');
    const error = await expectRefused(
      t.provider.verifyRequest({ ...request, headers: { authorization: header } }),
      400,
      'parameter_absent',
    );
    expect(formBody(error.response.body).oauth_parameters_absent).toBe('oauth_nonce');
  });

  it('refuses a request with no OAuth parameters at all, and a request token call without oauth_callback', async () => {
    await expectRefused(
      t.provider.verifyRequest({ method: 'GET', url: URLS.resource, headers: {} }),
      400,
      'parameter_absent',
    );
    const signed = client().sign('POST', URLS.requestToken, {
      token: null,
      timestamp: t.clock.now,
    });
    const error = await expectRefused(
      t.provider.requestToken(toServerRequest(signed)),
      400,
      'parameter_absent',
    );
    expect(error.details.oauth_parameters_absent).toBe('oauth_callback');
  });

  it('refuses a protocol parameter sent twice: in one place, or in two', async () => {
    const request = await validResource();
    const header = String(request.headers.authorization);
    const nonce = /oauth_nonce="([^"]*)"/.exec(header)![1]!;
    await expectRefused(
      t.provider.verifyRequest({
        ...request,
        headers: { authorization: `${header}, oauth_nonce="${nonce}"` },
      }),
      400,
      'parameter_rejected',
    );
    await expectRefused(
      t.provider.verifyRequest({ ...request, url: `${request.url}?oauth_nonce=${nonce}` }),
      400,
      'parameter_rejected',
    );
    await expectRefused(
      t.provider.verifyRequest({
        ...request,
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        body: `oauth_nonce=${nonce}&oauth_nonce=${nonce}`,
        headers: {},
      }),
      400,
      'parameter_rejected',
    );
  });

  it('refuses protocol parameters split between the header and the query', async () => {
    const request = await validResource();
    const header = String(request.headers.authorization).replace(/, oauth_version="1.0"/, '');
    await expectRefused(
      t.provider.verifyRequest({
        ...request,
        url: `${request.url}?oauth_version=1.0`,
        headers: { authorization: header },
      }),
      400,
      'parameter_rejected',
    );
  });

  it('refuses two Authorization headers, a repeated realm, a malformed header and a bad escape', async () => {
    const request = await validResource();
    const header = String(request.headers.authorization);
    for (const authorization of [
      [header, header],
      header.replace('OAuth ', 'OAuth realm="a", realm="b", '),
      header.replace(/"$/, ''),
      header.replace('oauth_nonce="', 'oauth_nonce="%zz'),
      header.replace('oauth_nonce="', 'oauth_nonce = "x" "'),
      `${header} trailing`,
    ]) {
      await expectRefused(
        t.provider.verifyRequest({ ...request, headers: { authorization } }),
        400,
        'parameter_rejected',
      );
    }
  });

  it('refuses a body that is not a flat form', async () => {
    const request = await validResource();
    await expectRefused(
      t.provider.verifyRequest({
        ...request,
        contentType: 'application/x-www-form-urlencoded',
        body: { nested: { a: 'b' } },
      }),
      400,
      'parameter_rejected',
    );
  });

  it('refuses another oauth_version, a non-numeric timestamp and over-long values', async () => {
    const c = client();
    const token = await issueAccessToken(t);
    const sign = (oauthParams: Record<string, string>, timestamp: string | number = t.clock.now) =>
      toServerRequest(c.sign('GET', URLS.resource, { token, oauthParams, timestamp }));
    const current = sign({});
    const header = String(current.headers.authorization).replace(
      'oauth_version="1.0"',
      'oauth_version="2.0"',
    );
    await expectRefused(
      t.provider.verifyRequest({ ...current, headers: { authorization: header } }),
      400,
      'version_rejected',
    );
    await expectRefused(t.provider.verifyRequest(sign({}, '1e9')), 400, 'parameter_rejected');
    await expectRefused(t.provider.verifyRequest(sign({}, '-5')), 400, 'parameter_rejected');
    const long = toServerRequest(
      c.sign('GET', URLS.resource, { token, nonce: 'n'.repeat(257), timestamp: t.clock.now }),
    );
    await expectRefused(t.provider.verifyRequest(long), 400, 'parameter_rejected');
    const short = toServerRequest(
      c.sign('GET', URLS.resource, { token, nonce: 'n', timestamp: t.clock.now }),
    );
    await expectRefused(t.provider.verifyRequest(short), 400, 'parameter_rejected');
  });
});

describe('signature methods (400 signature_method_rejected)', () => {
  it('refuses PLAINTEXT unless listed, and over http even when listed', async () => {
    const plain = client({ signatureMethod: 'PLAINTEXT' });
    const sign = (url: string) =>
      toServerRequest(
        plain.sign('POST', url, {
          token: null,
          oauthParams: { oauth_callback: CALLBACK },
          timestamp: t.clock.now,
        }),
      );
    await expectRefused(
      t.provider.requestToken(sign(URLS.requestToken)),
      400,
      'signature_method_rejected',
    );
    const listed = makeProvider({
      signatureMethods: ['HMAC-SHA1', 'PLAINTEXT'],
      enforceSsl: false,
    });
    await expectRefused(
      listed.provider.requestToken(sign('http://provider.example/oauth/request_token')),
      400,
      'signature_method_rejected',
    );
    expect((await listed.provider.requestToken(sign(URLS.requestToken))).status).toBe(200);
  });

  it('refuses a method not in the list, and an unknown one', async () => {
    const only = makeProvider({ signatureMethods: ['RSA-SHA256'] });
    await expectRefused(fetchRequestToken(only), 400, 'signature_method_rejected');
    const request = toServerRequest(
      client().sign('POST', URLS.requestToken, {
        token: null,
        oauthParams: { oauth_callback: CALLBACK },
        timestamp: t.clock.now,
      }),
    );
    const header = String(request.headers.authorization).replace('HMAC-SHA1', 'HMAC-MD5');
    await expectRefused(
      t.provider.requestToken({ ...request, headers: { authorization: header } }),
      400,
      'signature_method_rejected',
    );
  });

  it('refuses HMAC for a client without a shared secret, even signed with an empty secret', async () => {
    const noSecret = client({ clientId: CLIENTS.r.clientKey, clientSecret: '' });
    await expectRefused(fetchRequestToken(t, noSecret), 400, 'signature_method_rejected');
    const plain = client({
      clientId: CLIENTS.r.clientKey,
      clientSecret: '',
      signatureMethod: 'PLAINTEXT',
    });
    const listed = makeProvider({ signatureMethods: ['PLAINTEXT'] });
    await expectRefused(fetchRequestToken(listed, plain), 400, 'signature_method_rejected');
  });

  it('refuses RSA for a client without an RSA key', async () => {
    await expectRefused(
      fetchRequestToken(
        t,
        client({ clientId: CLIENTS.b.clientKey, signatureMethod: 'RSA-SHA256' }),
      ),
      400,
      'signature_method_rejected',
    );
  });
});

describe('freshness, credentials and signatures (401)', () => {
  it('refuses a timestamp outside the window, either way, and gives the acceptable range', async () => {
    const token = await issueAccessToken(t);
    const c = client();
    for (const skew of [-301, 301]) {
      const request = toServerRequest(
        c.sign('GET', URLS.resource, { token, timestamp: t.clock.now + skew }),
      );
      const error = await expectRefused(
        t.provider.verifyRequest(request),
        401,
        'timestamp_refused',
      );
      expect(error.details.oauth_acceptable_timestamps).toBe(
        `${t.clock.now - 300}-${t.clock.now + 300}`,
      );
    }
    for (const skew of [-300, 300]) {
      const request = toServerRequest(
        c.sign('GET', URLS.resource, { token, timestamp: t.clock.now + skew }),
      );
      await expect(t.provider.verifyRequest(request)).resolves.toBeDefined();
    }
  });

  it('refuses an unknown client', async () => {
    await expectRefused(
      fetchRequestToken(t, client({ clientId: 'nobody-at-all' })),
      401,
      'consumer_key_unknown',
    );
  });

  it('refuses a bad signature for every method', async () => {
    const other = makeProvider();
    for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'RSA-SHA256'] as const) {
      const wrong = client({
        signatureMethod,
        clientSecret: 'not-the-secret',
        rsaKey: (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 1024 })
          .privateKey,
      });
      await expectRefused(fetchRequestToken(other, wrong), 401, 'signature_invalid');
    }
    const plain = makeProvider({ signatureMethods: ['PLAINTEXT'] });
    await expectRefused(
      fetchRequestToken(plain, client({ signatureMethod: 'PLAINTEXT', clientSecret: 'wrong' })),
      401,
      'signature_invalid',
    );
  });

  it('refuses a signature made with the right client secret but the wrong token secret', async () => {
    const token = await issueAccessToken(t);
    const request = resourceRequest(t, { ...token, oauth_token_secret: 'guessed' });
    await expectRefused(t.provider.verifyRequest(request), 401, 'signature_invalid');
  });

  it('refuses a request whose signed parts were changed: method, host, path, query, body', async () => {
    const token = await issueAccessToken(t);
    const c = client();
    const signed = toServerRequest(
      c.sign('POST', `${URLS.resource}?a=1`, {
        token,
        body: new URLSearchParams({ b: '2' }),
        timestamp: t.clock.now,
      }),
    );
    for (const changed of [
      { ...signed, method: 'PUT' },
      { ...signed, url: signed.url.replace(ORIGIN, 'https://other.example') },
      { ...signed, url: signed.url.replace('/api/me', '/api/you') },
      { ...signed, url: signed.url.replace('a=1', 'a=2') },
      { ...signed, body: 'b=3' },
    ]) {
      await expectRefused(t.provider.verifyRequest(changed), 401, 'signature_invalid');
    }
    expect((await t.provider.verifyRequest(signed)).user).toEqual({ id: 'alice' });
  });
});

describe('replayed nonces (401 nonce_used)', () => {
  it('refuses a replayed request', async () => {
    const request = await validResource();
    await t.provider.verifyRequest(request);
    await expectRefused(t.provider.verifyRequest(request), 401, 'nonce_used');
  });

  it('refuses it through getNonce when saveNonce cannot say (returns nothing)', async () => {
    const request = await validResource();
    const storage = t.storage;
    const save = storage.saveNonce.bind(storage);
    storage.saveNonce = (nonce: OAuth1Nonce) => {
      save(nonce);
      return undefined as unknown as boolean;
    };
    await t.provider.verifyRequest(request);
    await expectRefused(t.provider.verifyRequest(request), 401, 'nonce_used');
  });

  it('refuses it through an atomic saveNonce when getNonce misses it (a race)', async () => {
    const request = await validResource();
    t.storage.getNonce = (_key: OAuth1NonceKey) => false;
    await t.provider.verifyRequest(request);
    await expectRefused(t.provider.verifyRequest(request), 401, 'nonce_used');
  });

  it('does not spend a nonce on a request that fails its signature', async () => {
    const request = await validResource();
    const header = String(request.headers.authorization);
    const forged = header.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"');
    await expectRefused(
      t.provider.verifyRequest({ ...request, headers: { authorization: forged } }),
      401,
      'signature_invalid',
    );
    await expect(t.provider.verifyRequest(request)).resolves.toBeDefined();
  });
});
