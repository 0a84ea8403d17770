import { OAuthConfigError } from '../errors/oauth-config.error.js';

/** Fewest bytes a state secret may have. */
export const MIN_SECRET_BYTES = 32;

/** Fewest bits of (estimated) entropy a state secret may carry. */
const MIN_SECRET_BITS = 128;

/**
 * Refuses a state-cookie secret an attacker could guess offline from one
 * captured cookie: under 32 bytes, repeating a short pattern, or of low
 * variety (under 128 bits by a character-frequency estimate). What
 * `openssl rand -base64 32` prints passes; `changeme` repeated does not.
 *
 * @param secret - the secret
 * @param where - how the user set it (`secret`, `OAUTH_SECRET`)
 * @throws {OAuthConfigError} naming `OAUTH_SECRET` and how to make a good one
 * @see https://www.rfc-editor.org/rfc/rfc5869.html#section-3.1
 */
export function assertStrongSecret(secret: string, where: string): void {
  const bytes = Buffer.byteLength(secret);
  let problem: string | undefined;
  if (bytes < MIN_SECRET_BYTES) problem = `it has ${bytes} bytes, fewer than ${MIN_SECRET_BYTES}`;
  else if (isPeriodic(secret)) problem = 'it repeats a shorter pattern';
  else if (entropyBits(secret) < MIN_SECRET_BITS) problem = 'it has too little variety';
  if (problem === undefined) return;
  throw new OAuthConfigError(
    `OAuth module: the state secret (${where}) is too weak: ${problem}. Set OAUTH_SECRET (or \`secret\`) ` +
      `to ${MIN_SECRET_BYTES} random bytes, e.g. the output of \`openssl rand -base64 32\``,
    where,
  );
}

/** Whether `value` is a shorter string repeated (`abcabcabc...`). */
function isPeriodic(value: string): boolean {
  for (let period = 1; period <= value.length / 2; period++) {
    let same = true;
    for (let i = period; i < value.length && same; i++) same = value[i] === value[i - period];
    if (same) return true;
  }
  return false;
}

/** Shannon entropy of the character distribution, times the length (an upper estimate). */
function entropyBits(value: string): number {
  const chars = [...value];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / chars.length) * Math.log2(n / chars.length);
  return bits * chars.length;
}
