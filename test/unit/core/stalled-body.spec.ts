import { OAuthTimeoutError } from '../../../lib/core/errors.js';
import { OAuth1Client } from '../../../lib/core/oauth1/oauth1-client.js';
import { OAuth2Client } from '../../../lib/core/oauth2/oauth2-client.js';
import { fetchUserinfo } from '../../../lib/core/oidc/userinfo.js';

/** A fetch whose response headers arrive at once and whose body never ends (one branch: a stub). */
const stalled = (contentType: string) => async () =>
  new Response(new ReadableStream({ start: () => undefined }), {
    headers: { 'content-type': contentType },
  });

describe('a body that stalls after the headers is still bounded by the timeout', () => {
  it('OAuth 1 request-token response', async () => {
    const client = new OAuth1Client({
      clientId: 'c',
      clientSecret: 's',
      fetch: stalled('application/x-www-form-urlencoded'),
      timeout: 100,
    });
    await expect(
      client.fetchRequestToken('https://as.example/request_token'),
    ).rejects.toBeInstanceOf(OAuthTimeoutError);
  });

  it('signed UserInfo response', async () => {
    await expect(
      fetchUserinfo('https://op.example/userinfo', 'token', {
        http: { fetch: stalled('application/jwt'), timeout: 100 },
      }),
    ).rejects.toBeInstanceOf(OAuthTimeoutError);
  });

  it('OAuth 2 token response', async () => {
    const client = new OAuth2Client({ fetch: stalled('application/json'), timeout: 100 });
    await expect(client.fetchToken('https://as.example/token')).rejects.toBeInstanceOf(
      OAuthTimeoutError,
    );
  });
});
