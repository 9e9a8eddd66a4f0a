// Login rate limiting: at most `maxFailures` failed attempts per client address and username in a sliding
// window; past that the pair is refused (HTTP 429, Retry-After) until the oldest failure leaves the window.
// In memory on purpose: one server process per workspace, and a restart forgetting the counts is harmless.

import { type Clock, systemClock } from './clock.js';

export interface LoginThrottleOptions {
  /** Failures allowed within the window (default 5). */
  maxFailures?: number;
  /** Window length in milliseconds (default one minute). */
  windowMs?: number;
  clock?: Clock;
}

/** Keys kept before stale ones are swept, so a flood of usernames cannot grow memory without bound. */
const SWEEP_AT = 10_000;

/** Counts failed logins per key and says when a key must wait. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly clock: Clock;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    if (!Number.isInteger(this.maxFailures) || this.maxFailures < 1) {
      throw new Error(`maxFailures=${this.maxFailures} must be an integer >= 1`);
    }
    if (!(this.windowMs > 0)) throw new Error(`windowMs=${this.windowMs} must be > 0`);
  }

  /** The key for a client address and a username (case-insensitive, as usernames are). */
  static key(address: string, username: string): string {
    return `${address}\u0000${username.trim().toLowerCase()}`;
  }

  /** Seconds to wait before `key` may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.maxFailures) return 0;
    const oldest = recent[recent.length - this.maxFailures];
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock()) / 1000));
  }

  /** Records a failed attempt. */
  fail(key: string): void {
    if (this.failures.size >= SWEEP_AT) this.sweep();
    const recent = this.recent(key);
    recent.push(this.clock());
    this.failures.set(key, recent);
  }

  /** Forgets the failures of `key` after a successful login. */
  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((at) => at > since);
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) {
      if (this.recent(key).length === 0) this.failures.delete(key);
    }
  }
}
