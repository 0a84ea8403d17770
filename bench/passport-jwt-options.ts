/**
 * The passport-jwt + jwks-rsa settings of benchmark 7, shared by its plain
 * `node:http` server and its Nest app: the issuer's JWK set through
 * `passportJwtSecret` (cached keys), the same issuer, audience and algorithm
 * as ours, and the scope check (`read`) ours makes.
 */
import { createRequire } from 'node:module';
import { ExtractJwt, type StrategyOptionsWithoutRequest } from 'passport-jwt';

/**
 * The strategy options.
 * @param issuer - the issuer (its JWK set is `{issuer}/jwks`)
 * @param audience - this API's identifier
 */
export function passportJwtOptions(
  issuer: string,
  audience: string,
): StrategyOptionsWithoutRequest {
  // jwks-rsa 4 require()s jose 6, an ES module: fine in Node >= 20.19.
  const { passportJwtSecret } = createRequire(import.meta.url)(
    'jwks-rsa',
  ) as typeof import('jwks-rsa');
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    secretOrKeyProvider: passportJwtSecret({
      jwksUri: `${issuer}/jwks`,
      cache: true,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
    }),
    issuer,
    audience,
    algorithms: ['RS256'],
  };
}

/** Whether a verified payload grants scope `read`. */
export function grantsRead(payload: Record<string, unknown>): boolean {
  return typeof payload.scope === 'string' && payload.scope.split(' ').includes('read');
}
