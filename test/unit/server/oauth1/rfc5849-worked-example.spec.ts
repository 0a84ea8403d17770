/**
 * RFC 5849 §1.2, the worked example, verified server-side: the three
 * published requests (their Authorization headers as printed, folded lines
 * joined by a space as RFC 9112 §5.2 says) are accepted, and the provider
 * answers the published credentials and callback byte for byte.
 *
 * The example's last request is plain `http://photos.example.net/photos`, so
 * enforceSsl is off here; the realm "Photos" of its headers is the realm the
 * client asks for, so the provider knows it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-1.2
 */
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import {
  InMemoryOAuth1ServerStorage,
  OAuth1Provider,
  type OAuth1TokenPurpose,
} from '../../../../lib/server/oauth1/index.js';
import { expectRefused } from './support.js';

const PUBLISHED: Record<OAuth1TokenPurpose, string> = {
  request_token: 'hh5s93j4hdidpola',
  request_token_secret: 'hdhd0244k9j7ao03',
  verifier: 'hfdp7dh39dks9884',
  access_token: 'nnch734d00sl2jdk',
  access_token_secret: 'pfkkdhi9sl3r4s00',
};

const unfold = (header: string) => header.replace(/,\n\s+/g, ', ');

const INITIATE = unfold(`OAuth realm="Photos",
   oauth_consumer_key="dpf43f3p2l4k3l03",
   oauth_signature_method="HMAC-SHA1",
   oauth_timestamp="137131200",
   oauth_nonce="wIjqoS",
   oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready",
   oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"`);

const TOKEN = unfold(`OAuth realm="Photos",
   oauth_consumer_key="dpf43f3p2l4k3l03",
   oauth_token="hh5s93j4hdidpola",
   oauth_signature_method="HMAC-SHA1",
   oauth_timestamp="137131201",
   oauth_nonce="walatlh",
   oauth_verifier="hfdp7dh39dks9884",
   oauth_signature="gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D"`);

const PHOTOS = unfold(`OAuth realm="Photos",
   oauth_consumer_key="dpf43f3p2l4k3l03",
   oauth_token="nnch734d00sl2jdk",
   oauth_signature_method="HMAC-SHA1",
   oauth_timestamp="137131202",
   oauth_nonce="chapoH",
   oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"`);

function setup() {
  const storage = new InMemoryOAuth1ServerStorage<{ name: string }>({
    clients: [
      {
        clientKey: 'dpf43f3p2l4k3l03',
        clientSecret: 'kd94hf93k423kf44',
        redirectUris: ['http://printer.example.com/ready'],
      },
    ],
    now: () => 137131200,
  });
  const provider = new OAuth1Provider<{ name: string }>({
    storage,
    enforceSsl: false,
    realms: ['Photos'],
    now: () => 137131200,
    generateToken: (purpose) => PUBLISHED[purpose],
  });
  return { provider, storage };
}

const request = (method: string, url: string, authorization: string): ServerRequest => ({
  method,
  url,
  headers: { host: 'photos.example.net', authorization },
});

describe('RFC 5849 §1.2 worked example, server side', () => {
  it('accepts the three published requests and answers the published values', async () => {
    const { provider } = setup();

    const initiate = await provider.requestToken(
      request('POST', 'https://photos.example.net/initiate', INITIATE),
    );
    expect(initiate.status).toBe(200);
    expect(initiate.headers['Content-Type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(initiate.body).toBe(
      'oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true',
    );

    const authorizeRequest = request(
      'GET',
      'https://photos.example.net/authorize?oauth_token=hh5s93j4hdidpola',
      '',
    );
    const pending = await provider.authorizationRequest(authorizeRequest);
    expect(pending).toMatchObject({
      realms: ['Photos'],
      redirectUri: 'http://printer.example.com/ready',
      token: 'hh5s93j4hdidpola',
    });
    const decision = await provider.authorize(authorizeRequest, { user: { name: 'Jane' } });
    expect(decision.response.status).toBe(302);
    expect(decision.response.headers.Location).toBe(
      'http://printer.example.com/ready?oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884',
    );

    const token = await provider.accessToken(
      request('POST', 'https://photos.example.net/token', TOKEN),
    );
    expect(token.status).toBe(200);
    expect(token.body).toBe('oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkkdhi9sl3r4s00');

    const photos = await provider.verifyRequest(
      request('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original', PHOTOS),
      ['Photos'],
    );
    expect(photos).toMatchObject({
      user: { name: 'Jane' },
      realms: ['Photos'],
      transport: 'header',
    });
    expect(photos.client.clientKey).toBe('dpf43f3p2l4k3l03');
  });

  it('refuses each published request with one byte of its signature changed', async () => {
    const { provider } = setup();
    const tamper = (header: string) => header.replace('oauth_signature="', 'oauth_signature="X');
    await expectRefused(
      provider.requestToken(
        request('POST', 'https://photos.example.net/initiate', tamper(INITIATE)),
      ),
      401,
      'signature_invalid',
    );
    await provider.requestToken(request('POST', 'https://photos.example.net/initiate', INITIATE));
    const authorizeRequest = request(
      'GET',
      'https://photos.example.net/authorize?oauth_token=hh5s93j4hdidpola',
      '',
    );
    await provider.authorize(authorizeRequest, { user: { name: 'Jane' } });
    await expectRefused(
      provider.accessToken(request('POST', 'https://photos.example.net/token', tamper(TOKEN))),
      401,
      'signature_invalid',
    );
    await provider.accessToken(request('POST', 'https://photos.example.net/token', TOKEN));
    await expectRefused(
      provider.verifyRequest(
        request(
          'GET',
          'http://photos.example.net/photos?file=vacation.jpg&size=original',
          tamper(PHOTOS),
        ),
      ),
      401,
      'signature_invalid',
    );
    // The query is signed: another file is another request.
    await expectRefused(
      provider.verifyRequest(
        request('GET', 'http://photos.example.net/photos?file=other.jpg&size=original', PHOTOS),
      ),
      401,
      'signature_invalid',
    );
  });

  it('refuses a replay of the published requests (nonce used)', async () => {
    const { provider } = setup();
    const initiate = request('POST', 'https://photos.example.net/initiate', INITIATE);
    await provider.requestToken(initiate);
    await expectRefused(provider.requestToken(initiate), 401, 'nonce_used');
  });
});
