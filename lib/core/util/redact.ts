/** Endpoint URL (no query, no fragment) → what errors say about it. */
const endpoints = new Map<string, string>();

/**
 * `origin + path` of a URL: what errors and logs may say about an endpoint
 * (never its query string, which may carry a code or a token).
 */
export function describeEndpoint(url: string | URL): string {
  if (typeof url !== 'string') return `${url.origin}${url.pathname}`;
  // Only URLs without a query or fragment are remembered: those may carry a code or a token.
  const cacheable = !url.includes('?') && !url.includes('#');
  let described = cacheable ? endpoints.get(url) : undefined;
  if (described === undefined) {
    try {
      const u = new URL(url);
      described = `${u.origin}${u.pathname}`;
    } catch {
      described = '(invalid URL)';
    }
    if (cacheable) {
      // Bounded: a client calls a handful of endpoints; a new URL per call otherwise.
      if (endpoints.size >= 256) endpoints.clear();
      endpoints.set(url, described);
    }
  }
  return described;
}

/** What replaces a secret in provider-supplied text. */
export const REDACTED = '[redacted]';

/** Values shorter than this are not redacted (they would shred ordinary words). */
const MIN_SECRET_LENGTH = 4;

/**
 * The forms a value takes on the wire, as a provider echoing a request may
 * send it back: raw, percent-encoded (`encodeURIComponent`, RFC 3986 with
 * `!'()*` too), and form-encoded (`+` for a space, as `URLSearchParams` and
 * RFC 6749 §2.3.1's HTTP Basic encoding write it).
 */
export function secretForms(value: string): string[] {
  const component = encodeURIComponent(value);
  const rfc3986 = component.replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const basic = rfc3986.replace(/%20/g, '+').replace(/~/g, '%7E');
  return [...new Set([value, component, rfc3986, form, basic])];
}

/**
 * Removes every given secret, in each of its wire forms ({@link secretForms},
 * hex digits of either case), from provider-supplied text and data.
 */
export class Redactor {
  private readonly pattern?: RegExp;

  /** @param secrets - the values to keep out (`undefined` and very short ones are skipped) */
  constructor(secrets: Iterable<string | undefined>) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
      for (const form of secretForms(secret)) forms.add(form);
    }
    if (forms.size === 0) return;
    // Longest first, so a form is never cut short by a shorter one it contains.
    const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(sorted.join('|'), 'gi');
  }

  /** `text` with every secret form replaced by `[redacted]`. */
  text(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }

  /** A copy of parsed JSON or form data with every string (keys included) redacted. */
  value<T>(value: T, depth = 0): T {
    if (!this.pattern) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (!value || typeof value !== 'object' || depth > 32) return value;
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[this.text(key)] = this.value(item, depth + 1);
    }
    return out as T;
  }
}

/**
 * Replaces every occurrence of the given secret values, in each of their wire
 * forms, in `text` by `[redacted]`. Used on provider-supplied text (error
 * descriptions) that may echo a request value.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  return new Redactor(secrets).text(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What an error may say about a token's `alg`: the name, quoted, when it is a
 * plain algorithm name; otherwise `of the token` (never echo arbitrary header text).
 *
 * @internal
 */
export function printableAlg(alg: string): string {
  return /^[A-Za-z0-9+_-]{1,32}$/.test(alg) ? `"${alg}"` : 'of the token';
}
