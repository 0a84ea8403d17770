/**
 * Reading the `Authorization: OAuth ...` header of RFC 5849 §3.5.1.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.5.1
 */
import { percentDecode } from '../../core/oauth1/percent-encode.js';

/** The parameters of an `Authorization: OAuth` header. */
export interface OAuthAuthorizationHeader {
  /** The `realm`, if sent (not a request parameter: it is not signed). */
  realm?: string;
  /** Every other parameter, decoded, in the order sent. */
  params: Array<[string, string]>;
}

const SCHEME = /^OAuth(?:[ \t]+|$)/i;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const WHITESPACE = /[ \t]/;

/**
 * Whether an `Authorization` header value uses the `OAuth` scheme (any case).
 *
 * @param value - the header value
 */
export function isOAuthAuthorization(value: string): boolean {
  return SCHEME.test(value);
}

/**
 * Parses an `Authorization: OAuth` header value: comma-separated
 * `name="value"` pairs (RFC 7235 auth-params; an unquoted token value is
 * accepted too), names and values percent-decoded (§3.6), `realm` kept as
 * its quoted-string says and set apart.
 *
 * @param value - the whole header value, `OAuth` scheme included
 * @returns the parameters, or `undefined` when the header is not well formed
 *   (bad syntax, a malformed percent-escape, a repeated `realm`)
 */
export function parseOAuthAuthorization(value: string): OAuthAuthorizationHeader | undefined {
  const scheme = SCHEME.exec(value);
  if (!scheme) return undefined;
  const result: OAuthAuthorizationHeader = { params: [] };
  let i = scheme[0].length;
  const length = value.length;
  let expectSeparator = false;
  while (i < length) {
    const char = value[i]!;
    if (WHITESPACE.test(char)) {
      i++;
      continue;
    }
    if (char === ',') {
      expectSeparator = false;
      i++;
      continue;
    }
    if (expectSeparator) return undefined;
    // name
    const nameStart = i;
    while (i < length && TOKEN_CHAR.test(value[i]!)) i++;
    if (i === nameStart) return undefined;
    const rawName = value.slice(nameStart, i);
    while (i < length && WHITESPACE.test(value[i]!)) i++;
    if (value[i] !== '=') return undefined;
    i++;
    while (i < length && WHITESPACE.test(value[i]!)) i++;
    // value: quoted-string or token
    let rawValue: string;
    if (value[i] === '"') {
      i++;
      rawValue = '';
      let closed = false;
      while (i < length) {
        const c = value[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\') {
          if (i + 1 >= length) return undefined;
          rawValue += value[i + 1];
          i += 2;
          continue;
        }
        if (isControl(c)) return undefined;
        rawValue += c;
        i++;
      }
      if (!closed) return undefined;
    } else {
      const valueStart = i;
      while (i < length && TOKEN_CHAR.test(value[i]!)) i++;
      rawValue = value.slice(valueStart, i);
    }
    if (rawName.toLowerCase() === 'realm') {
      if (result.realm !== undefined) return undefined;
      result.realm = rawValue;
    } else {
      const name = percentDecode(rawName);
      const decoded = percentDecode(rawValue);
      if (name === undefined || decoded === undefined) return undefined;
      result.params.push([name, decoded]);
    }
    expectSeparator = true;
  }
  return result;
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}
