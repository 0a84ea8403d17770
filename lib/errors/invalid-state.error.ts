import { MismatchingStateError } from '../core/errors.js';

/** Why a callback's state was refused. */
export type InvalidStateReason = 'missing' | 'unknown' | 'replayed' | 'expired';

const MESSAGES: Record<InvalidStateReason, string> = {
  missing: 'The authorization response has no state parameter',
  unknown: 'The state does not match a login started in this browser',
  replayed: 'The state has already been used',
  expired: 'The login took too long: its state has expired',
};

/**
 * The state of a callback is missing, unknown to this browser (forged, or the
 * cookie is gone), already used, or expired. A {@link MismatchingStateError},
 * so `instanceof MismatchingStateError` catches it too.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-10.12
 */
export class InvalidStateError extends MismatchingStateError {
  /** Why the state was refused. */
  readonly reason: InvalidStateReason;

  constructor(reason: InvalidStateReason, options: { cause?: unknown } = {}) {
    super({ message: MESSAGES[reason], ...options });
    this.reason = reason;
  }
}
