/** The sample's pages, rendered on the server. */
import { html, layout, type RawHtml } from './html.js';
import { providerLabel } from './oauth-clients.js';
import type { SampleSession } from './session.store.js';

/** The result of the API call the home page makes with the injected client. */
export type ApiResult = { ok: true; data: unknown } | { ok: false; message: string } | undefined;

/** The start page: one button per configured client. */
export function loginPage(clients: string[], notice?: string): string {
  return layout(
    { title: 'Sign in — nestjs-oauth sample' },
    html`<h1>Sign in</h1>
      ${notice ? html`<div class="card" role="status">${notice}</div>` : ''}
      <div class="card stack">
        ${clients.map(
          (name) =>
            html`<a class="btn" href="/login/${encodeURIComponent(name)}" data-provider="${name}"
              >Sign in with ${providerLabel(name)}</a
            >`,
        )}
      </div>
      <p class="muted">
        The local OpenID provider runs beside this app and needs no account anywhere. Set
        <code>GITHUB_CLIENT_ID</code>/<code>GITHUB_CLIENT_SECRET</code> (or another provider's keys)
        in the environment or in <code>.env</code> to get its button.
      </p>`,
  );
}

/** The signed-in page: claims, token facts (never the token), an API call, refresh and log out. */
export function profilePage(session: SampleSession, api: ApiResult, notice?: string): string {
  const user = session.user;
  const token = session.token as Record<string, unknown>;
  const expiresAt = typeof token.expires_at === 'number' ? token.expires_at : undefined;
  const scopes = typeof token.scope === 'string' ? token.scope.split(/[\s,]+/).filter(Boolean) : [];
  const picture =
    typeof user.picture === 'string' && /^https?:\/\//.test(user.picture)
      ? user.picture
      : undefined;
  const claims = Object.entries(user).filter(([, v]) => v !== undefined && v !== null);
  return layout(
    { title: 'Signed in — nestjs-oauth sample' },
    html`<h1>
        Hello,
        <span data-testid="user-name">${user.name ?? user.preferred_username ?? user.sub}</span>
      </h1>
      ${notice ? html`<div class="card" role="status">${notice}</div>` : ''}
      <section class="card">
        ${picture ? html`<img class="avatar" src="${picture}" alt="" referrerpolicy="no-referrer" />` : ''}
        <h2>Your claims <span class="muted">(@OAuthUser)</span></h2>
        <dl>
          ${claims.map(
            ([key, value]) =>
              html`<dt>${key}</dt>
                <dd data-claim="${key}">
                  ${typeof value === 'object' ? JSON.stringify(value) : String(value)}
                </dd>`,
          )}
        </dl>
      </section>
      <section class="card">
        <h2>Token <span class="muted">(@OAuthToken — never shown)</span></h2>
        <dl>
          <dt>Provider</dt>
          <dd>${providerLabel(session.provider)}</dd>
          <dt>Scopes</dt>
          <dd data-testid="scopes">${scopes.length ? scopes.join(' ') : '(not reported)'}</dd>
          <dt>Expires</dt>
          <dd data-testid="expires-at">
            ${expiresAt ? new Date(expiresAt * 1000).toISOString() : 'unknown'}
          </dd>
          <dt>Refresh token</dt>
          <dd>${token.refresh_token ? 'yes' : 'no'}</dd>
          <dt>Refreshed</dt>
          <dd data-testid="refresh-count">${session.refreshes}</dd>
        </dl>
      </section>
      ${apiSection(api)}
      <div class="row">
        <form method="post" action="/refresh">
          <button type="submit" ${token.refresh_token ? '' : html`disabled`}>Refresh token</button>
        </form>
        <form method="post" action="/logout">
          <button type="submit" class="secondary">Log out</button>
        </form>
      </div>`,
  );
}

function apiSection(api: ApiResult): RawHtml | string {
  if (!api) return '';
  return html`<section class="card${api.ok ? '' : ' error'}" data-testid="api-result">
    <h2>API call <span class="muted">(@OAuthClient('local') → UserInfo)</span></h2>
    ${api.ok ? html`<pre>${JSON.stringify(api.data, null, 2)}</pre>` : html`<p>${api.message}</p>`}
  </section>`;
}

/** An error page: a failed login (the body of an `OAuthException`, which holds no secret) or a 404. */
export function errorPage(status: number, error: string, message: string): string {
  const heading = status === 404 ? 'Not found' : 'Sign-in failed';
  return layout(
    { title: `${heading} — nestjs-oauth sample` },
    html`<h1>${heading}</h1>
      <div class="card error" role="alert">
        <p><strong>${status}</strong> <code data-testid="error-code">${error}</code></p>
        <p>${message}</p>
      </div>
      <a class="btn" href="/">Back to the start</a>`,
  );
}
