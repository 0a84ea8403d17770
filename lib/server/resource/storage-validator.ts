import { invalidToken } from './bearer-error.js';
import { configError } from './issuer-metadata.js';
import {
  isFiniteNumber,
  isNonEmptyString,
  parseScopeClaim,
  type BearerPrincipal,
} from './principal.js';
import type { AccessTokenValidator } from './validator.js';

/**
 * An access token as the authorization server stored it: what
 * {@link StorageValidator} needs to know. Adapt your storage's record to it
 * (the Nest layer does it for `OAuth2ServerStorage.getToken`).
 */
export interface StoredAccessToken {
  /** The client the token was issued to. */
  clientId: string;
  /** The user, when the token was issued for one. */
  sub?: string;
  /** The granted scopes: space-separated or a list. */
  scope?: string | readonly string[];
  /** When the token expires: epoch seconds, or a `Date`. Required: a token without one is refused. */
  expiresAt: number | Date;
  /** `true` once revoked (RFC 7009), or the time it was revoked. */
  revoked?: boolean | number | Date;
  /** The API(s) the token is for, when the server records resource indicators (RFC 8707). */
  audience?: string | readonly string[];
  /** More claims to hand to the route (`claims` of the principal). */
  claims?: Record<string, unknown>;
}

/**
 * Looks an access token up: the record, or `undefined` / `null` when unknown.
 * Given the token as sent; a storage that keeps tokens hashed at rest hashes
 * it itself.
 */
export type AccessTokenLookup = (
  accessToken: string,
) => StoredAccessToken | undefined | null | Promise<StoredAccessToken | undefined | null>;

/** Options of {@link StorageValidator}. */
export interface StorageValidatorOptions {
  /** The lookup, e.g. `(token) => storage.getToken({ accessToken: token }).then(toStoredAccessToken)`. */
  lookup: AccessTokenLookup;
  /**
   * This API's identifier(s): when given, a record that names an `audience`
   * must name one of them (a record without one is accepted: the server did
   * not record resource indicators).
   */
  audience?: string | readonly string[];
  /** Clock skew tolerated on `expiresAt`, in seconds (default 0: the server's own clock). */
  clockTolerance?: number;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

/**
 * Validates tokens issued by this app's own authorization server, through
 * its storage: the token must exist, not be revoked, not be expired. Scopes
 * are compared with the route's by the protector.
 *
 * A token the storage does not know is not this validator's (`undefined`):
 * the next validator (introspection, say) is asked.
 *
 * @example
 * ```ts
 * const storage = new StorageValidator({
 *   lookup: async (token) => {
 *     const t = await db.accessTokens.findOne({ hash: sha256(token) });
 *     return t && { clientId: t.clientId, sub: t.userId, scope: t.scope, expiresAt: t.expiresAt, revoked: t.revoked };
 *   },
 * });
 * ```
 */
export class StorageValidator implements AccessTokenValidator {
  /** @inheritDoc */
  readonly source = 'storage' as const;
  /** @inheritDoc */
  readonly structured = false;

  private readonly lookup: AccessTokenLookup;
  private readonly audiences?: readonly string[];
  private readonly clockTolerance: number;
  private readonly now: () => number;

  /**
   * @param options - the lookup function (or the options object)
   * @throws {TypeError} (`ERR_OAUTH_RESOURCE_CONFIG`) without a lookup function
   */
  constructor(options: StorageValidatorOptions | AccessTokenLookup) {
    const opts = typeof options === 'function' ? { lookup: options } : options;
    if (typeof opts?.lookup !== 'function') {
      throw configError('a storage validator needs a lookup function');
    }
    this.lookup = opts.lookup;
    this.audiences = typeof opts.audience === 'string' ? [opts.audience] : opts.audience;
    this.clockTolerance = opts.clockTolerance ?? 0;
    this.now = opts.now ?? (() => Date.now());
  }

  /**
   * Looks the token up and checks its record.
   * @param token - the access token
   * @returns the principal, or `undefined` when the storage does not know the token
   * @throws {BearerTokenError} `invalid_token` (`revoked`, `expired`, `record`, `aud`, `scope`)
   */
  async validate(token: string): Promise<BearerPrincipal | undefined> {
    const record = await this.lookup(token);
    if (record === undefined || record === null) return undefined;
    if (record.revoked !== undefined && record.revoked !== false) {
      throw invalidToken('revoked', 'The access token was revoked');
    }
    const exp =
      record.expiresAt instanceof Date ? record.expiresAt.getTime() / 1000 : record.expiresAt;
    if (!isFiniteNumber(exp)) {
      // Fail closed: a record without a usable expiry is a storage bug, not an eternal token.
      throw invalidToken('record', 'The access token is not valid');
    }
    if (this.now() / 1000 >= exp + this.clockTolerance) {
      throw invalidToken('expired', 'The access token expired');
    }
    if (!isNonEmptyString(record.clientId))
      throw invalidToken('record', 'The access token is not valid');
    if (this.audiences && record.audience !== undefined) {
      const aud = typeof record.audience === 'string' ? [record.audience] : record.audience;
      if (!aud.some((a) => this.audiences!.includes(a))) {
        throw invalidToken('aud', 'The access token is meant for another resource');
      }
    }
    return {
      sub: isNonEmptyString(record.sub) ? record.sub : undefined,
      clientId: record.clientId,
      scope: parseScopeClaim(record.scope),
      claims: { ...record.claims, client_id: record.clientId, sub: record.sub, exp },
      token,
      expiresAt: exp,
      source: 'storage',
    };
  }
}
