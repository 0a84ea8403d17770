import type { RequestParameters } from '../http/server-request.js';
import { invalidRequest } from './errors.js';

/** Longest parameter value read (a JWT assertion is the largest legitimate one). */
const MAX_VALUE_LENGTH = 16 * 1024;

/**
 * The parameters of one OAuth request, read the way RFC 6749 §3.1 and §3.2
 * say: a parameter sent more than once is an error, one sent without a value
 * is treated as absent.
 */
export class OAuthParams {
  /**
   * @param params - the parsed query or form body
   */
  constructor(private readonly params: RequestParameters) {}

  /**
   * The value of a parameter, or `undefined` when absent or empty.
   * @throws {OAuth2ServerError} `invalid_request` when the parameter is repeated or absurdly long
   */
  get(name: string): string | undefined {
    const values = this.params.get(name);
    if (!values) return undefined;
    if (values.length > 1) throw invalidRequest(`the "${name}" parameter is repeated`);
    const value = values[0];
    if (value.length > MAX_VALUE_LENGTH)
      throw invalidRequest(`the "${name}" parameter is too long`);
    return value === '' ? undefined : value;
  }

  /**
   * The value of a required parameter.
   * @throws {OAuth2ServerError} `invalid_request` when it is absent, empty or repeated
   */
  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw invalidRequest(`the "${name}" parameter is missing`);
    return value;
  }

  /** Whether the parameter was sent (with a value). */
  has(name: string): boolean {
    return (this.params.get(name) ?? []).some((v) => v !== '');
  }

  /** Every single-valued, non-empty parameter as a plain record (for hidden form fields). */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, values] of this.params) {
      if (values.length === 1 && values[0] !== '') out[name] = values[0];
    }
    return out;
  }
}
