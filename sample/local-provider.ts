/**
 * A local OpenID Connect provider for the sample: `oidc-provider` (loaded with
 * a dynamic `import()`, it is a dev dependency) on 127.0.0.1, with a demo
 * client, two demo accounts and its own small login and consent pages.
 *
 * Everything lives in memory and is lost on restart.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { html, layout, type RawHtml } from './html.js';

/** A demo account of the local provider. */
export interface DemoAccount {
  password: string;
  claims: {
    sub: string;
    name: string;
    given_name: string;
    family_name: string;
    email: string;
    email_verified: boolean;
    preferred_username: string;
  };
}

/** The accounts you can sign in with (shown on the login page). */
export const DEMO_ACCOUNTS: Record<string, DemoAccount> = {
  alice: {
    password: 'wonderland',
    claims: {
      sub: 'alice',
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      email: 'alice@example.com',
      email_verified: true,
      preferred_username: 'alice',
    },
  },
  bob: {
    password: 'builder',
    claims: {
      sub: 'bob',
      name: 'Bob Builder',
      given_name: 'Bob',
      family_name: 'Builder',
      email: 'bob@example.com',
      email_verified: false,
      preferred_username: 'bob',
    },
  },
};

/** Options of {@link startLocalProvider}. */
export interface LocalProviderOptions {
  /** Port to listen on (0: any free port). */
  port: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Lifetime of access tokens in seconds (default 300, so refreshes are visible). */
  accessTokenTtl?: number;
}

/** A running local provider. */
export interface LocalProvider {
  /** The issuer, `http://127.0.0.1:PORT`. */
  issuer: string;
  /** The demo client's id. */
  clientId: string;
  /** The demo client's secret (random on every start). */
  clientSecret: string;
  /** Registers the app's callback URLs (once the app knows its port). */
  setRedirectUris(uris: string[]): Promise<void>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts the provider. Its client is registered without redirect URIs;
 * call `setRedirectUris` once the app's address is known.
 */
export async function startLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  const Provider = await loadProvider();
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  server.listen(options.port, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const publicHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const issuer = `http://${publicHost}:${port}`;

  const clientId = 'nestjs-oauth-sample';
  const clientSecret = randomBytes(24).toString('base64url');
  const storage = new MemoryAdapterStore();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: 'sample-key',
    alg: 'RS256',
    use: 'sig',
  };
  const ttl = options.accessTokenTtl ?? 300;

  const provider = quietly(
    () =>
      new Provider(issuer, {
        // Clients live in the adapter too, so they can be registered once the app has a port.
        adapter: (model: string) => storage.adapter(model),
        jwks: { keys: [signingKey] },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        scopes: ['openid', 'offline_access', 'email', 'profile'],
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name', 'given_name', 'family_name', 'preferred_username'],
        },
        // Put the profile claims in the ID token as well as in UserInfo.
        conformIdTokenClaims: false,
        findAccount: async (_ctx: unknown, id: string) => {
          const account = DEMO_ACCOUNTS[id];
          return account
            ? { accountId: id, claims: async () => ({ ...account.claims }) }
            : undefined;
        },
        features: {
          devInteractions: { enabled: false },
          revocation: {
            enabled: true,
            // A client may only revoke its own tokens.
            allowedPolicy: async (_ctx: unknown, client: any, token: any) =>
              token.clientId === client.clientId,
          },
          userinfo: { enabled: true },
        },
        interactions: {
          url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
        },
        // A refresh token with every code, without the offline_access + prompt=consent dance.
        issueRefreshToken: async (
          _ctx: unknown,
          client: { grantTypeAllowed(t: string): boolean },
        ) => client.grantTypeAllowed('refresh_token'),
        rotateRefreshToken: true,
        ttl: {
          AccessToken: () => ttl,
          AuthorizationCode: () => 60,
          IdToken: () => 3600,
          RefreshToken: () => 24 * 3600,
          Interaction: () => 600,
          Session: () => 24 * 3600,
          Grant: () => 24 * 3600,
        },
        renderError: async (ctx: any, out: Record<string, string>) => {
          ctx.type = 'html';
          ctx.body = page(
            'Sign-in error',
            html`<div class="card error">
              <h1>Something went wrong</h1>
              <p>${out.error}: ${out.error_description}</p>
            </div>`,
          );
        },
      }),
  );

  const registerClient = (redirectUris: string[]) =>
    storage.adapter('Client').upsert(clientId, {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: 'nestjs-oauth sample',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
  await registerClient([`${issuer}/unused-callback`]);

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(
      (req.url ?? '').split('?')[0],
    );
    if (!match) {
      callback(req, res);
      return;
    }
    interaction(provider, req, res, match[2]).catch((err: unknown) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      sendHtml(
        res,
        status >= 400 && status < 600 ? status : 400,
        page(
          'Sign-in error',
          html`<div class="card error">
            <h1>This sign-in link is no longer valid</h1>
            <p class="muted">Go back to the application and start again.</p>
          </div>`,
        ),
      );
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    setRedirectUris: async (uris) => {
      await registerClient(uris);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The login and consent steps (`/interaction/:uid[/login|/confirm|/abort]`). */
async function interaction(
  provider: any,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  const client = await provider.Client.find(params.client_id);
  const clientName = client?.clientName ?? params.client_id;

  if (action === 'abort' && req.method === 'POST') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (prompt.name === 'login') {
    if (action === 'login' && req.method === 'POST') {
      const form = await readForm(req);
      const login = (form.get('login') ?? '').trim().toLowerCase();
      const account = DEMO_ACCOUNTS[login];
      if (account && account.password === form.get('password')) {
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: login } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      sendHtml(res, 200, loginPage(uid, clientName, login, true));
      return;
    }
    sendHtml(res, 200, loginPage(uid, clientName, String(params.login_hint ?? ''), false));
    return;
  }

  if (prompt.name === 'consent') {
    if (action === 'confirm' && req.method === 'POST') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
      const missing = prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      if (missing.missingResourceScopes) {
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
          grant.addResourceScope(indicator, (scopes as string[]).join(' '));
        }
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    const scopes = String(params.scope ?? '')
      .split(' ')
      .filter((s) => s && s !== 'openid');
    sendHtml(res, 200, consentPage(uid, clientName, details.session.accountId, scopes));
    return;
  }

  const error = Object.assign(new Error('unknown prompt'), { statusCode: 501 });
  throw error;
}

const PROVIDER_LOOK = { accent: '#0f766e', brand: 'Local OpenID provider' };

function page(title: string, body: RawHtml): string {
  return layout({ title, ...PROVIDER_LOOK }, body);
}

function loginPage(uid: string, clientName: string, login: string, failed: boolean): string {
  return page(
    'Sign in',
    html`<h1>Sign in to continue to ${clientName}</h1>
      ${failed ? html`<div class="card error" role="alert">Wrong username or password.</div>` : ''}
      <form class="card stack" method="post" action="/interaction/${uid}/login" autocomplete="off">
        <div>
          <label for="login">Username</label>
          <input
            id="login"
            name="login"
            value="${login}"
            required
            autofocus
            autocapitalize="none"
          />
        </div>
        <div>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" required />
        </div>
        <button type="submit">Sign in</button>
      </form>
      <form method="post" action="/interaction/${uid}/abort">
        <button type="submit" class="secondary">Cancel</button>
      </form>
      <p class="muted">
        Demo accounts:
        ${Object.entries(DEMO_ACCOUNTS).map(
          ([name, account], i) =>
            html`${i ? ', ' : ''}<strong>${name}</strong> / ${account.password}`,
        )}
      </p>`,
  );
}

function consentPage(uid: string, clientName: string, accountId: string, scopes: string[]): string {
  const labels: Record<string, string> = {
    email: 'your e-mail address',
    profile: 'your name and username',
    offline_access: 'access while you are away (refresh tokens)',
  };
  return page(
    'Authorize',
    html`<h1>Allow ${clientName}?</h1>
      <div class="card">
        <p>Signed in as <strong>${accountId}</strong>. ${clientName} asks to see:</p>
        <ul>
          <li>your user id</li>
          ${scopes.map((s) => html`<li>${labels[s] ?? s}</li>`)}
        </ul>
      </div>
      <div class="row">
        <form method="post" action="/interaction/${uid}/confirm">
          <button type="submit">Allow</button>
        </form>
        <form method="post" action="/interaction/${uid}/abort">
          <button type="submit" class="secondary">Deny</button>
        </form>
      </div>`,
  );
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: Chromium applies it to the redirects after a POST, and the last one
    // goes back to the application on another port.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw Object.assign(new Error('form too large'), { statusCode: 413 });
  }
  return new URLSearchParams(body);
}

let providerClass: Promise<any> | undefined;

/** Loads oidc-provider (ESM-only, a dev dependency) on first use. */
function loadProvider(): Promise<any> {
  const specifier = 'oidc-provider';
  providerClass ??= quietly(() => import(specifier)).then((m: any) => m.Provider ?? m.default);
  return providerClass;
}

/** Runs `fn` without oidc-provider's development notices (Node 20 runtime, sample config). */
function quietly<T>(fn: () => T): T {
  const { warn } = console;
  console.warn = (...args: unknown[]) => {
    if (String(args[0] ?? '').includes('oidc-provider')) return;
    warn.apply(console, args);
  };
  const restore = () => {
    console.warn = warn;
  };
  try {
    const result = fn();
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  } catch (err) {
    restore();
    throw err;
  }
}

/** A minimal in-memory storage for oidc-provider's models, with expiry and grant revocation. */
class MemoryAdapterStore {
  private readonly entries = new Map<string, { payload: any; expiresAt?: number }>();
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly index = new Map<string, string>();

  adapter(model: string) {
    const key = (id: string) => `${model}:${id}`;
    const get = (k: string) => {
      const entry = this.entries.get(k);
      if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        this.entries.delete(k);
        return undefined;
      }
      return entry?.payload;
    };
    return {
      upsert: async (id: string, payload: any, expiresIn?: number) => {
        const k = key(id);
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined;
        this.entries.set(k, { payload, expiresAt });
        if (payload.grantId) {
          const members = this.byGrant.get(payload.grantId) ?? new Set<string>();
          this.byGrant.set(payload.grantId, members.add(k));
        }
        if (payload.uid) this.index.set(`uid:${payload.uid}`, k);
        if (payload.userCode) this.index.set(`userCode:${payload.userCode}`, k);
      },
      find: async (id: string) => get(key(id)),
      findByUid: async (uid: string) => get(this.index.get(`uid:${uid}`) ?? ''),
      findByUserCode: async (code: string) => get(this.index.get(`userCode:${code}`) ?? ''),
      consume: async (id: string) => {
        const payload = get(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id: string) => {
        this.entries.delete(key(id));
      },
      revokeByGrantId: async (grantId: string) => {
        for (const k of this.byGrant.get(grantId) ?? []) this.entries.delete(k);
        this.byGrant.delete(grantId);
      },
    };
  }
}
