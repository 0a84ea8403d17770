/**
 * The sample's local provider (OAuth2ServerModule with its own login and
 * consent pages) on Express and Fastify, driven by a scripted browser: the
 * consent form works only with the ticket of its own login — not without
 * one, not twice, not for another authorization request — and prompt=none
 * is answered login_required.
 */
import { createCodeChallenge, createCodeVerifier } from '../../lib/core/oauth2/pkce.js';
import { startLocalProvider, type LocalProvider } from '../../sample/local-provider.js';
import { BrowserClient, parseForms, type Hop } from '../fixtures/browser-client.js';
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';

const CALLBACK = 'http://127.0.0.1:9/callback/local';

describe.each(PLATFORMS)('the sample’s local provider on %s', (platform) => {
  let provider: LocalProvider;

  beforeAll(async () => {
    provider = await startLocalProvider({ port: 0, platform, logger: false });
    await provider.setRedirectUris([CALLBACK]);
  });
  afterAll(() => provider?.close());

  function authorizationUrl(state: string, extra: Record<string, string> = {}): string {
    const url = new URL('/authorize', provider.issuer);
    url.search = new URLSearchParams({
      client_id: provider.clientId,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid email',
      state,
      code_challenge: createCodeChallenge(createCodeVerifier(), 'S256'),
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
    return url.href;
  }

  /** Signs in as alice on the login page of a new authorization request: the consent page. */
  async function consentPage(browser: BrowserClient, state: string): Promise<Hop> {
    const login = (await browser.navigate(authorizationUrl(state))).last;
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const consent = await browser.submitForm(login, { login: 'alice', password: 'wonderland' });
    expect(consent.last.body).toContain('Allow nestjs-oauth sample?');
    return consent.last;
  }

  /** Submits the consent page's Allow form, with its fields replaced by `values`. */
  async function allow(browser: BrowserClient, page: Hop, values: Record<string, string> = {}) {
    const form = parseForms(page.body, page.url).find((f) => f.fields.step === 'allow')!;
    const hop = await browser.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, ...values }).toString(),
    });
    expect(hop.status).toBe(303);
    return new URL(hop.location!);
  }

  it('issues a code for the login’s own ticket, once', async () => {
    const browser = new BrowserClient();
    const page = await consentPage(browser, 'one');
    const callback = await allow(browser, page);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe('one');
    const replay = await allow(browser, page);
    expect(replay.searchParams.get('error')).toBe('login_required');
  });

  it('refuses the consent without a ticket, or with the ticket of another request', async () => {
    const browser = new BrowserClient();
    const first = await consentPage(browser, 'first');
    const second = await consentPage(browser, 'second');
    const none = await allow(browser, second, { ticket: '' });
    expect(none.searchParams.get('error')).toBe('login_required');
    const ticketOfFirst = parseForms(first.body, first.url).find((f) => f.fields.step === 'allow')!
      .fields.ticket;
    const crossed = await allow(browser, second, { ticket: ticketOfFirst });
    expect(crossed.searchParams.get('error')).toBe('login_required');
    expect(crossed.searchParams.get('state')).toBe('second');
  });

  it('answers prompt=none with login_required: it keeps no session', async () => {
    const browser = new BrowserClient();
    const hop = await browser.request(authorizationUrl('quiet', { prompt: 'none' }));
    expect(hop.status).toBe(303);
    expect(new URL(hop.location!).searchParams.get('error')).toBe('login_required');
  });
});
