/**
 * Memoizes a one-argument factory (the argument may be `undefined`), so that
 * `OAuthLoginGuard('github')` returns the same class each time and Nest
 * instantiates it once.
 *
 * @param fn - the factory
 * @returns the memoized factory
 */
export function memoize<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg: A): R => {
    if (cache.has(arg)) return cache.get(arg) as R;
    const value = fn(arg);
    cache.set(arg, value);
    return value;
  };
}
