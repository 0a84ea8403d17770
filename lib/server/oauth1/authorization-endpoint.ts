/**
 * The resource owner authorization endpoint (RFC 5849 §2.2): reading the
 * request token the resource owner is asked about (for the consent page),
 * then turning the decision into the redirect back to the client's callback
 * with `oauth_token` and `oauth_verifier` (or, for `oob`, a page that shows
 * the verifier).
 *
 * The endpoint is a web page: protecting the decision against cross-site
 * request forgery (a CSRF token in the consent form) and knowing who the
 * resource owner is are the app's job.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
 */
import type { ServerRequest, ServerResponse } from '../http/server-request.js';
import { OOB, withQueryParameters } from './callback-uri.js';
import type { OAuth1ServerClient } from './oauth1-server-storage.interface.js';
import { OAuth1ProviderError, refuse } from './oauth1-provider-error.js';
import type { ProviderContext } from './provider-context.js';
import { approvedRealms } from './realms.js';
import { requestUrl, singleParameter } from './request-parameters.js';

/** A request token waiting for the resource owner's decision: what the consent page shows. */
export interface OAuth1PendingAuthorization {
  /** The client asking. */
  client: OAuth1ServerClient;
  /** The realms it asks for. */
  realms: string[];
  /** The confirmed callback: an absolute URI, or `oob`. */
  redirectUri: string;
  /** The `oauth_token` as the client sent it, for the consent form to post back. */
  token: string;
  /** When the request token expires (epoch seconds). */
  expiresAt: number;
}

/**
 * The resource owner's decision: `false` to deny; otherwise who approved and,
 * optionally, the subset of the requested realms approved.
 *
 * @typeParam U - the app's user type
 */
export type OAuth1AuthorizationDecision<U = unknown> =
  | false
  | {
      /** The resource owner. */
      user: U;
      /** The realms approved (default: all those requested). */
      realms?: readonly string[];
    };

/** The outcome of a decision. */
export interface OAuth1AuthorizationResult {
  /** What to send: a 302 to the callback, or a page (an `oob` verifier, a denial). */
  response: ServerResponse;
  /** Whether the resource owner approved. */
  approved: boolean;
  /** The verifier issued, when approved (to render an `oob` page of your own). */
  verifier?: string;
  /** Where the resource owner is sent, when there is a callback. */
  redirectTo?: string;
}

/**
 * Reads the `oauth_token` of an authorization request and the request token
 * it names.
 *
 * @internal
 */
export async function readPendingAuthorization<U>(
  ctx: ProviderContext<U>,
  request: ServerRequest,
): Promise<OAuth1PendingAuthorization> {
  try {
    if (ctx.settings.enforceSsl && requestUrl(request).protocol !== 'https:') {
      throw refuse.insecureTransport();
    }
    const token = singleParameter(request, 'oauth_token');
    if (!token) throw refuse.absent(['oauth_token']);
    const [min, max] = ctx.settings.keyLength;
    if (token.length < min || token.length > max) throw refuse.token();
    const key = ctx.lookupKey(token);
    const record = await ctx.storage.getRequestToken(key);
    if (!record || record.token !== key) throw refuse.token();
    if (!(record.expiresAt > ctx.now())) throw refuse.tokenExpired();
    const client = await ctx.storage.getClient(record.clientKey);
    if (!client || client.clientKey !== record.clientKey) throw refuse.token();
    return {
      client,
      realms: [...record.realms],
      redirectUri: record.redirectUri,
      token,
      expiresAt: record.expiresAt,
    };
  } catch (err) {
    if (err instanceof OAuth1ProviderError) err.response = pageErrorResponse(ctx, err);
    throw err;
  }
}

/**
 * Applies the resource owner's decision.
 *
 * @internal
 */
export async function decideAuthorization<U>(
  ctx: ProviderContext<U>,
  request: ServerRequest,
  decision: OAuth1AuthorizationDecision<U>,
): Promise<OAuth1AuthorizationResult> {
  const pending = await readPendingAuthorization(ctx, request);
  const key = ctx.lookupKey(pending.token);
  const callback =
    pending.redirectUri === OOB ? pending.client.defaultRedirectUri : pending.redirectUri;
  if (decision === false || decision === null || decision === undefined) {
    await ctx.storage.deleteRequestToken(key);
    if (!callback) return { approved: false, response: page(200, 'Access denied', '') };
    const redirectTo = withQueryParameters(callback, { denied: pending.token });
    return { approved: false, redirectTo, response: redirect(redirectTo) };
  }
  let realms: string[];
  try {
    realms = approvedRealms(pending.realms, decision.realms);
  } catch (err) {
    if (err instanceof OAuth1ProviderError) err.response = pageErrorResponse(ctx, err);
    throw err;
  }
  const verifier = ctx.generate('verifier');
  await ctx.storage.saveVerifier({
    verifier: ctx.lookupKey(verifier),
    token: key,
    clientKey: pending.client.clientKey,
    user: decision.user,
    realms,
    expiresAt: pending.expiresAt,
  });
  if (!callback) {
    return {
      approved: true,
      verifier,
      response: page(
        200,
        'Access granted',
        `<p>Enter this verification code in the application:</p><p><code>${escapeHtml(verifier)}</code></p>`,
      ),
    };
  }
  const redirectTo = withQueryParameters(callback, {
    oauth_token: pending.token,
    oauth_verifier: verifier,
  });
  return { approved: true, verifier, redirectTo, response: redirect(redirectTo) };
}

/** A refusal on the user-facing endpoint: to `errorUri` when set, else a plain page. */
function pageErrorResponse<U>(ctx: ProviderContext<U>, error: OAuth1ProviderError): ServerResponse {
  if (ctx.settings.errorUri) {
    return redirect(
      withQueryParameters(ctx.settings.errorUri, {
        error: error.problem,
        error_description: error.advice,
      }),
    );
  }
  return page(error.status, 'Authorization failed', `<p>${escapeHtml(error.advice)}</p>`);
}

function redirect(location: string): ServerResponse {
  return {
    status: 302,
    headers: { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
  };
}

function page(status: number, title: string, content: string): ServerResponse {
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'",
      'X-Frame-Options': 'DENY',
    },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${content}</body></html>`,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
