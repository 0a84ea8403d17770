import { createHash } from 'node:crypto';
import type { ServerResponse } from '../http/server-request.js';
import type { OAuth2ServerError } from './errors.js';

/** How the authorization response parameters travel back to the client. */
export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** Headers of every response carrying tokens or credentials (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * A JSON response that no cache keeps.
 *
 * @param status - the HTTP status
 * @param body - the JSON body
 * @param headers - extra headers
 */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ServerResponse {
  // A cacheable document (metadata, JWKS) names its own Cache-Control and gets no Pragma.
  const caching = 'Cache-Control' in headers ? {} : NO_STORE;
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...caching, ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The RFC 6749 §5.2 JSON body of an error, with its status and headers.
 *
 * @param err - the error
 * @param errorUri - the `error_uri` to include, if configured
 */
export function errorResponse(err: OAuth2ServerError, errorUri?: string): ServerResponse {
  const body: Record<string, string> = { error: err.error };
  if (err.description) body.error_description = err.description;
  if (errorUri) body.error_uri = errorUri;
  return jsonResponse(err.status, body, err.headers);
}

/**
 * Sends the user agent back to the client with the response parameters, in
 * the query, the fragment, or an auto-submitted form (OAuth 2.0 Form Post
 * Response Mode).
 *
 * @param redirectUri - the validated redirect URI
 * @param params - the response parameters (`code`, `state`, `iss`, ...)
 * @param mode - where the parameters go
 */
export function authorizationRedirect(
  redirectUri: string,
  params: Record<string, string>,
  mode: ResponseMode,
): ServerResponse {
  if (mode === 'form_post') return formPost(redirectUri, params);
  const url = new URL(redirectUri);
  if (mode === 'query') {
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  } else {
    url.hash = new URLSearchParams(params).toString();
  }
  return { status: 303, headers: { Location: url.href, ...NO_STORE } };
}

/** A redirect of the user agent to a page of the server's own (the `errorUri` page). */
export function plainRedirect(location: string, params: Record<string, string>): ServerResponse {
  const url = new URL(location);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return { status: 303, headers: { Location: url.href, ...NO_STORE } };
}

const SUBMIT_SCRIPT = 'document.forms[0].submit();';
const SUBMIT_SCRIPT_HASH = createHash('sha256').update(SUBMIT_SCRIPT).digest('base64');

function formPost(action: string, params: Record<string, string>): ServerResponse {
  const inputs = Object.entries(params)
    .map(([n, v]) => `<input type="hidden" name="${escapeHtml(n)}" value="${escapeHtml(v)}">`)
    .join('');
  const body =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Submitting…</title></head><body>' +
    `<form method="post" action="${escapeHtml(action)}">${inputs}` +
    '<noscript><button type="submit">Continue</button></noscript></form>' +
    `<script>${SUBMIT_SCRIPT}</script></body></html>`;
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      ...NO_STORE,
      'Content-Security-Policy': `default-src 'none'; script-src 'sha256-${SUBMIT_SCRIPT_HASH}'; form-action ${formOrigin(action)}; frame-ancestors 'none'`,
      'X-Frame-Options': 'DENY',
    },
    body,
  };
}

/** The CSP source of the form's target: its origin, or its scheme for a private-use URI scheme. */
function formOrigin(action: string): string {
  const url = new URL(action);
  return url.origin === 'null' ? url.protocol : url.origin;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
