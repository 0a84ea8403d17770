import { hash } from 'node:crypto';

/** SHA-256 of `value`, base64url: a stable, safe identifier for a state value. */
export function hashState(value: string): string {
  return hash('sha256', value, 'base64url');
}

/**
 * Remembers, in this process, the states already used until they expire, so
 * a replay is reported as such (and refused even if a copied cookie comes
 * with it).
 */
export class UsedStates {
  private readonly used = new Map<string, number>();

  constructor(private readonly limit = 100_000) {}

  /** Marks `id` as used until `expiresAtMs`; `false` when it already was. */
  mark(id: string, expiresAtMs: number): boolean {
    this.prune();
    if (this.has(id)) return false;
    this.used.set(id, expiresAtMs);
    return true;
  }

  /** Whether `id` was used and has not expired yet. */
  has(id: string): boolean {
    const until = this.used.get(id);
    return until !== undefined && until > Date.now();
  }

  private prune(): void {
    if (this.used.size < this.limit) return;
    const now = Date.now();
    for (const [id, until] of this.used) if (until <= now) this.used.delete(id);
    // Still full: forget the oldest half (a Map iterates in insertion order).
    if (this.used.size >= this.limit) {
      let drop = Math.floor(this.used.size / 2);
      for (const id of this.used.keys()) {
        if (drop-- <= 0) break;
        this.used.delete(id);
      }
    }
  }
}
