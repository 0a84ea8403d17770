/**
 * The scripted browser keeps a browser's cookie policy (issue 11): `Secure`,
 * `SameSite` and `HttpOnly` are honoured, so tests of the state cookie's
 * attributes prove behaviour, not header text.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrowserClient, CookieJar, isSameSite, siteOf } from '../fixtures/browser-client.js';

describe('browser client cookie policy', () => {
  let server: Server;
  let port: number;
  const seen: { path: string; method: string; cookie?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push({ path: url.pathname, method: req.method!, cookie: req.headers.cookie });
      if (url.pathname === '/set') {
        res.setHeader('set-cookie', [
          'lax=1; Path=/; HttpOnly',
          'strict=2; Path=/; SameSite=Strict',
          'none=3; Path=/; SameSite=None; Secure',
          'plainnone=4; Path=/; SameSite=None',
          'default=5; Path=/',
        ]);
      }
      if (url.pathname === '/away') {
        // A redirect to the same server under another site (localhost vs 127.0.0.1).
        res.writeHead(302, { location: `http://localhost:${port}/back` }).end();
        return;
      }
      if (url.pathname === '/page') {
        res.setHeader('content-type', 'text/html');
        res.end(`<form method="post" action="http://127.0.0.1:${port}/post"></form>`);
        return;
      }
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('computes sites: scheme and registrable domain, ports ignored', () => {
    expect(siteOf('http://127.0.0.1:1/a')).toBe(siteOf('http://127.0.0.1:2/b'));
    expect(siteOf('http://a.example.com/')).toBe(siteOf('http://b.example.com/'));
    expect(siteOf('http://localhost/')).not.toBe(siteOf('http://127.0.0.1/'));
    expect(siteOf('https://example.com/')).not.toBe(siteOf('http://example.com/'));
    expect(isSameSite('http://127.0.0.1:2/', { initiator: 'http://localhost:2' })).toBe(false);
    expect(isSameSite('http://127.0.0.1:2/', { chain: ['http://localhost/x'] })).toBe(false);
  });

  it('drops Secure cookies set over plain http (not loopback), and SameSite=None without Secure', () => {
    const jar = new CookieJar();
    jar.setCookies('http://app.example/', ['s=1; Secure', 'n=2; SameSite=None', 'p=3']);
    expect(jar.all('http://app.example/').map((c) => c.name)).toEqual(['p']);
    jar.setCookies('https://app.example/', ['s=1; Secure', 'n=2; SameSite=None; Secure']);
    expect(jar.headerFor('https://app.example/')).toBe('p=3; s=1; n=2');
    expect(jar.headerFor('http://app.example/')).toBe('p=3');
  });

  it('hides HttpOnly cookies from scripts', async () => {
    const browser = new BrowserClient();
    await browser.request(`http://127.0.0.1:${port}/set`);
    expect(browser.jar.scriptCookies(`http://127.0.0.1:${port}/`)).not.toContain('lax=1');
    expect(browser.jar.scriptCookies(`http://127.0.0.1:${port}/`)).toContain('default=5');
  });

  it('sends SameSite cookies the way Chromium does on same-site and cross-site requests', async () => {
    const browser = new BrowserClient();
    const here = `http://127.0.0.1:${port}`;
    await browser.request(`${here}/set`);
    expect(
      browser.jar
        .all(here)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['default', 'lax', 'none', 'strict']);

    // Typed URL: same-site, everything.
    await browser.navigate(`${here}/echo`);
    expect(seen.at(-1)!.cookie).toBe('lax=1; strict=2; none=3; default=5');

    // A cross-site redirect chain back to the site (top-level GET): Lax and None, not Strict.
    await browser.navigate(`${here}/away`);
    expect(seen.at(-1)).toMatchObject({ path: '/back' });
    seen.length = 0;
    await browser.follow(
      await browser.request(`${here}/echo`, {}, { initiator: `http://localhost:${port}` }),
    );
    expect(seen.at(-1)!.cookie).toBe('lax=1; none=3; default=5');

    // A cross-site form POST (response_mode=form_post from another site): only None.
    const page = await browser.request(`http://localhost:${port}/page`);
    await browser.submitForm(page);
    expect(seen.at(-1)).toMatchObject({ path: '/post', method: 'POST', cookie: 'none=3' });
  });
});
