/**
 * Runs at most one operation per key at a time: callers that arrive while one
 * is in flight share its promise. A settled result stays available for
 * `keepMs`, so a caller holding the same stale input a moment later gets that
 * result instead of starting again (a rotated refresh token can be used once).
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly recent = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly keepMs = 10_000,
    private readonly maxRecent = 1_000,
  ) {}

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const recent = this.recent.get(key);
    if (recent && recent.until > Date.now()) return Promise.resolve(recent.value);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = operation().then(
        (value) => {
          this.inflight.delete(key);
          this.remember(key, value);
          return value;
        },
        (err: unknown) => {
          this.inflight.delete(key);
          throw err;
        },
      );
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private remember(key: string, value: T): void {
    if (this.keepMs <= 0) return;
    this.recent.delete(key);
    this.recent.set(key, { value, until: Date.now() + this.keepMs });
    if (this.recent.size > this.maxRecent) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.recent.delete(this.recent.keys().next().value as string);
    }
  }
}
