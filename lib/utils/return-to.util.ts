/**
 * Whether `value` is a same-site relative path that is safe to redirect to
 * after login: starts with one `/`, no `//` or `/\`, no backslash, no control
 * character, no scheme, at most 512 bytes, and no `//` left once dot segments
 * are resolved. Anything else is refused (no open redirect).
 *
 * @param value - the `returnTo` query parameter
 * @returns the path, or `undefined` when it is not acceptable
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.11
 */
export function sanitizeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // It travels in the state cookie: keep it small (bytes, not characters) so a few
  // pending logins cannot push the Cookie header past what servers accept.
  if (value.length === 0 || Buffer.byteLength(value) > MAX_RETURN_TO_BYTES) return undefined;
  if (value[0] !== '/' || value[1] === '/' || value.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  try {
    const base = new URL('http://return-to.invalid');
    const resolved = new URL(value, base);
    if (resolved.origin !== base.origin) return undefined;
    // Dot segments resolved: `/.//evil.com` is `//evil.com` once a browser or router normalizes it.
    if (resolved.pathname.startsWith('//')) return undefined;
  } catch {
    return undefined;
  }
  return value;
}

/** Longest `returnTo` kept, in UTF-8 bytes. */
export const MAX_RETURN_TO_BYTES = 512;
