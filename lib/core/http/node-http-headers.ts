/**
 * Request headers for {@link nodeHttpFetch}: what `fetch`'s `Headers` would
 * hold, as the plain lower-cased record `node:http` takes (a `Headers`
 * object costs more to build and to read back than the request it heads).
 */

/** A request's headers, lower-cased names; repeated names joined with `, ` as `Headers` joins them. */
export type HeaderRecord = Record<string, string>;

/**
 * Normalizes `init.headers` (a `Headers`, an array of pairs or a record) the
 * way `new Headers(init)` does: names lower-cased, values stripped of
 * leading and trailing HTTP whitespace, repeated names combined.
 *
 * @throws {TypeError} for a pair that is not a pair (as `new Headers` does); an invalid
 *   name or value is refused by `node:http` when the request is sent
 */
export function requestHeaders(given: HeadersInit | undefined): HeaderRecord {
  const record: HeaderRecord = Object.create(null) as HeaderRecord;
  if (given === undefined || given === null) return record;
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase();
    const clean = String(value).replace(TRIM, '');
    record[key] = key in record ? `${record[key]}, ${clean}` : clean;
  };
  if (given instanceof Headers) {
    given.forEach((value, name) => (record[name] = value));
  } else if (Array.isArray(given)) {
    for (const pair of given) {
      if (pair.length !== 2) throw new TypeError('Headers constructor: expected name/value pair');
      add(pair[0], pair[1]);
    }
  } else {
    for (const name of Object.keys(given)) add(name, (given as Record<string, string>)[name]);
  }
  return record;
}

/** Leading and trailing HTTP whitespace (tab, space, CR, LF), as `Headers` strips it. */
const TRIM = /^[\t\n\r ]+|[\t\n\r ]+$/g;
