/**
 * Minimal, framework-neutral cookie parsing and serialization (RFC 6265), so
 * the state cookie works the same on Express and Fastify with no cookie plugin.
 */

/** Attributes of a `Set-Cookie` header. */
export interface CookieAttributes {
  maxAge: number;
  path: string;
  secure: boolean;
  httpOnly?: boolean;
  sameSite?: 'Lax' | 'Strict' | 'None';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/;

/**
 * Reads one cookie from a raw `Cookie` header (first occurrence wins).
 *
 * @param header - the request's `cookie` header (string or list)
 * @param name - the cookie name
 * @returns the value, or `undefined` when absent
 * @see https://www.rfc-editor.org/rfc/rfc6265.html#section-5.4
 */
export function readCookie(header: unknown, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : typeof header === 'string' ? header : '';
  if (text.length > 65536) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

/**
 * The names of the cookies in a raw `Cookie` header (each once).
 *
 * @param header - the request's `cookie` header
 */
export function listCookieNames(header: unknown): string[] {
  const text = Array.isArray(header) ? header.join('; ') : typeof header === 'string' ? header : '';
  if (text.length > 65536) return [];
  const names = new Set<string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) names.add(part.slice(0, eq).trim());
  }
  return [...names];
}

/**
 * Builds a `Set-Cookie` header value; HttpOnly and SameSite=Lax by default.
 *
 * @throws {TypeError} with code `OAUTH_INVALID_COOKIE` for a name, value or path that is not valid
 * @see https://www.rfc-editor.org/rfc/rfc6265.html#section-4.1
 */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  if (!TOKEN.test(name) || !VALUE.test(value) || !PATH.test(attributes.path)) {
    throw Object.assign(new TypeError('invalid cookie name, value or path'), {
      code: 'OAUTH_INVALID_COOKIE',
    });
  }
  const parts = [
    `${name}=${value}`,
    `Path=${attributes.path}`,
    `Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`,
  ];
  if (attributes.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (attributes.httpOnly !== false) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  parts.push(`SameSite=${attributes.sameSite ?? 'Lax'}`);
  return parts.join('; ');
}

/** `login path + '\n' + redirect URI` → cookie path (a `new URL` per login otherwise). */
const cookiePaths = new Map<string, string>();

/**
 * The `Path` of a flow's cookie: the longest common directory of the login
 * route and the callback route (`/auth/login/x` and `/auth/callback/x` give
 * `/auth`), so the cookie is sent to the callback, and to the login route
 * too, which drops abandoned flows; `/` when they share nothing or the path
 * is not valid in a cookie.
 *
 * @param loginPath - the path of the login request
 * @param redirectUri - the configured redirect URI (absolute or a path), if any
 * @see https://www.rfc-editor.org/rfc/rfc6265.html#section-5.1.4
 */
export function flowCookiePath(loginPath: string, redirectUri: string | undefined): string {
  const path = loginPath.split('?')[0];
  const key = `${path}\n${redirectUri ?? ''}`;
  let cookiePath = cookiePaths.get(key);
  if (cookiePath === undefined) {
    cookiePath = commonDirectory(path, redirectUri);
    // Bounded: the login routes and redirect URIs of an app are few; anything else is dropped.
    if (cookiePaths.size >= 256) cookiePaths.clear();
    cookiePaths.set(key, cookiePath);
  }
  return cookiePath;
}

function commonDirectory(loginPath: string, redirectUri: string | undefined): string {
  let callbackPath = '/';
  try {
    if (redirectUri) callbackPath = new URL(redirectUri, 'http://cookie-path.invalid').pathname;
  } catch {
    callbackPath = '/';
  }
  const a = callbackPath.split('/');
  const b = loginPath.split('/');
  const common: string[] = [];
  // The last segment of each is a resource, not a directory.
  for (let i = 0; i < Math.min(a.length, b.length) - 1 && a[i] === b[i]; i++) common.push(a[i]);
  const path = common.join('/') || '/';
  return PATH.test(path) ? path : '/';
}
