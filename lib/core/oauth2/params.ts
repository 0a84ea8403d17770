// Small helpers for OAuth 2 request parameters, shared by the OAuth2Client parts.

/** A scope as one space-separated string; `undefined` for none or an empty one. */
export function joinScope(scope: string | string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const joined = Array.isArray(scope) ? scope.join(' ') : scope;
  return joined === '' ? undefined : joined;
}

/** Whether a space-separated scope asks for OpenID Connect. */
export function hasOpenId(scope: string | undefined): boolean {
  return scope !== undefined && scope.split(' ').includes('openid');
}

/** Adds every option that is not a named setting to a form body (objects as JSON). */
export function appendExtra(
  body: URLSearchParams,
  options: Record<string, unknown>,
  known: Set<string>,
): void {
  for (const [key, value] of Object.entries(options)) {
    if (known.has(key) || value === undefined || value === null) continue;
    body.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

/** The `TypeError` for an endpoint that is neither given, configured nor discovered. */
export function missingEndpoint(kind: string): TypeError {
  return Object.assign(
    new TypeError(`no ${kind} endpoint: pass it, configure it, or set serverMetadataUrl`),
    { code: 'ERR_OAUTH_NO_ENDPOINT' },
  );
}
