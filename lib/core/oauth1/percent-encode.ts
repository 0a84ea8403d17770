/**
 * RFC 5849 §3.6 percent-encoding, and the form decoding that undoes what a
 * query string or an `application/x-www-form-urlencoded` body carries.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.6
 */

/** 1 for the RFC 3986 unreserved ASCII characters, which are never encoded. */
const UNRESERVED = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') {
  UNRESERVED[char.charCodeAt(0)] = 1;
}
/** `%XX` (uppercase) for every octet. */
const HEX: readonly string[] = Array.from(
  { length: 256 },
  (_, octet) => `%${octet.toString(16).toUpperCase().padStart(2, '0')}`,
);
/** What `encodeURIComponent` leaves alone but RFC 5849 §3.6 encodes. */
const SUB_DELIMS = /[!'()*]/g;

function escapeOctet(char: string): string {
  return HEX[char.charCodeAt(0)]!;
}

/**
 * Percent-encodes a string as RFC 5849 §3.6 requires for the signature base
 * string and the `Authorization` header: UTF-8 octets, everything but
 * `ALPHA / DIGIT / "-" / "." / "_" / "~"` escaped, uppercase hexadecimal.
 * Unlike `encodeURIComponent`, it also escapes `! ' ( ) *`. A lone UTF-16
 * surrogate (not valid text) is encoded as U+FFFD, which is what `fetch` and
 * `URLSearchParams` put on the wire for it.
 *
 * @param value - the text to encode
 * @returns the encoded text
 * @example
 * ```ts
 * percentEncode('Ladies + Gentlemen!'); // 'Ladies%20%2B%20Gentlemen%21'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.6
 */
export function percentEncode(value: string): string {
  const length = value.length;
  let i = 0;
  // Fast path: most values (keys, nonces, timestamps, tokens) need no encoding.
  for (; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || UNRESERVED[code] === 0) break;
  }
  if (i === length) return value;
  let out = '';
  let last = 0;
  for (; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128) return out + value.slice(last, i) + encodeNonAscii(value.slice(i));
    if (UNRESERVED[code] === 0) {
      out += value.slice(last, i) + HEX[code];
      last = i + 1;
    }
  }
  return out + value.slice(last);
}

/** The tail of a string from its first non-ASCII character on. */
function encodeNonAscii(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    encoded = encodeURIComponent(toWellFormed(value));
  }
  return encoded.replace(SUB_DELIMS, escapeOctet);
}

/**
 * Decodes one name or value of an `application/x-www-form-urlencoded` string
 * as the WHATWG URL Standard does: `+` is a space, `%XX` an octet, the octets
 * UTF-8. Hostile input never throws: a malformed escape is kept as it is and
 * an invalid UTF-8 sequence becomes U+FFFD.
 *
 * @param value - one encoded name or value
 * @returns the decoded text
 * @see https://url.spec.whatwg.org/#concept-urlencoded-parser
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.4.1.3.1
 */
export function formDecode(value: string): string {
  const hasPlus = value.includes('+');
  if (!hasPlus && !value.includes('%')) return value;
  const spaced = hasPlus ? value.replaceAll('+', ' ') : value;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return lenientDecode(spaced);
  }
}

function isHexOctet(octet: number | undefined): boolean {
  return (
    octet !== undefined &&
    ((octet >= 0x30 && octet <= 0x39) ||
      (octet >= 0x41 && octet <= 0x46) ||
      (octet >= 0x61 && octet <= 0x66))
  );
}

/**
 * The WHATWG percent-decode of UTF-8 octets, then UTF-8 decoding with
 * replacement. (Node's own URLSearchParams deviates from the standard when a
 * string mixes a valid escape, a malformed one and non-ASCII text; a query
 * taken from a parsed URL never does, since the URL parser escapes non-ASCII.)
 */
function lenientDecode(text: string): string {
  const octets = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(octets.length);
  let length = 0;
  for (let i = 0; i < octets.length; i++) {
    const octet = octets[i]!;
    if (octet === 0x25 && isHexOctet(octets[i + 1]) && isHexOctet(octets[i + 2])) {
      out[length++] = Number.parseInt(String.fromCharCode(octets[i + 1]!, octets[i + 2]!), 16);
      i += 2;
    } else {
      out[length++] = octet;
    }
  }
  return out.toString('utf8', 0, length);
}

/**
 * Parses an `application/x-www-form-urlencoded` string (a query without its
 * `?`, or a form body) into decoded name/value pairs, keeping duplicates and
 * their order: the "W3C.REC-html40-19980424 §17.13.4" parsing RFC 5849 refers to,
 * with the same results as `URLSearchParams`.
 *
 * @param text - the encoded form
 * @param into - a list to append the pairs to (a new one by default)
 * @returns the list of `[name, value]` pairs
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.4.1.3.1
 */
export function parseForm(
  text: string,
  into: Array<[string, string]> = [],
): Array<[string, string]> {
  if (text === '') return into;
  let start = 0;
  const length = text.length;
  while (start <= length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      if (eq === -1 || eq > end) {
        into.push([formDecode(text.slice(start, end)), '']);
      } else {
        into.push([formDecode(text.slice(start, eq)), formDecode(text.slice(eq + 1, end))]);
      }
    }
    start = end + 1;
  }
  return into;
}

function toWellFormed(value: string): string {
  const native = (value as { toWellFormed?: () => string }).toWellFormed;
  if (native) return native.call(value);
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * Strict RFC 3986 percent-decoding, for the values of an `Authorization:
 * OAuth` header (RFC 5849 §3.5.1): `%XX` escapes of UTF-8 octets, and `+` is
 * a plus sign (not a space, as it is in a form). Returns `undefined` for a
 * malformed escape or octets that are not UTF-8, which a server refuses.
 *
 * @param value - the encoded text
 * @returns the decoded text, or `undefined` when it is not valid percent-encoding
 * @example
 * ```ts
 * percentDecode('74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D'); // '74KNZJeDHnMBp0EMJ9ZHt/XKycU='
 * percentDecode('%zz'); // undefined
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.5.1
 */
export function percentDecode(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
