/**
 * `origin + path` of a URL: what errors and logs may say about an endpoint
 * (never its query string, which may carry a code or a token).
 */
export function describeEndpoint(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Replaces every occurrence of the given secret values in `text` by `[redacted]`.
 * Used on provider-supplied text (error descriptions) that may echo a request value.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
