/**
 * The local provider's pages: sign in, then allow or deny. Each form posts
 * to the page's own URL, whose query is the authorization request.
 */
import { html, layout, type RawHtml } from '../html.js';
import type { DemoAccount } from './demo-accounts.js';

const PROVIDER_LOOK = { accent: '#0f766e', brand: 'Local OpenID provider' };

const SCOPE_LABELS: Record<string, string> = {
  email: 'your e-mail address',
  profile: 'your name and username',
};

function page(title: string, body: RawHtml): string {
  return layout({ title, ...PROVIDER_LOOK }, body);
}

/** The login page (again with an error after a wrong password). */
export function loginPage(
  clientName: string,
  login: string,
  failed: boolean,
  accounts: Record<string, DemoAccount>,
): string {
  return page(
    'Sign in',
    html`<h1>Sign in to continue to ${clientName}</h1>
      ${failed ? html`<div class="card error" role="alert">Wrong username or password.</div>` : ''}
      <form class="card stack" method="post" autocomplete="off">
        <input type="hidden" name="step" value="login" />
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
      <form method="post">
        <input type="hidden" name="step" value="deny" />
        <button type="submit" class="secondary">Cancel</button>
      </form>
      <p class="muted">
        Demo accounts:
        ${Object.entries(accounts).map(
          ([name, account], i) =>
            html`${i ? ', ' : ''}<strong>${name}</strong> / ${account.password}`,
        )}
      </p>`,
  );
}

/** The consent page, for the account that just signed in. */
export function consentPage(
  clientName: string,
  accountId: string,
  scopes: string[],
  ticket: string,
): string {
  return page(
    'Authorize',
    html`<h1>Allow ${clientName}?</h1>
      <div class="card">
        <p>Signed in as <strong>${accountId}</strong>. ${clientName} asks to see:</p>
        <ul>
          <li>your user id</li>
          ${scopes.filter((s) => s !== 'openid').map((s) => html`<li>${SCOPE_LABELS[s] ?? s}</li>`)}
        </ul>
      </div>
      <div class="row">
        <form method="post">
          <input type="hidden" name="step" value="allow" />
          <input type="hidden" name="ticket" value="${ticket}" />
          <button type="submit">Allow</button>
        </form>
        <form method="post">
          <input type="hidden" name="step" value="deny" />
          <button type="submit" class="secondary">Deny</button>
        </form>
      </div>`,
  );
}
