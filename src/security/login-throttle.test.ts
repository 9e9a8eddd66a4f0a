import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('refuses the sixth failure within a minute and says how long to wait', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ clock: () => now });
    const key = LoginThrottle.key('127.0.0.1', 'Admin');
    expect(key).toBe(LoginThrottle.key('127.0.0.1', ' admin '));
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterSeconds(key)).toBe(0);
      throttle.fail(key);
      now += 1_000;
    }
    // Oldest failure at 1,000,000; window ends at 1,060,000; now 1,005,000 → 55 s.
    expect(throttle.retryAfterSeconds(key)).toBe(55);
    expect(throttle.retryAfterSeconds(LoginThrottle.key('127.0.0.2', 'admin'))).toBe(0);
    now += 55_000;
    expect(throttle.retryAfterSeconds(key)).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new LoginThrottle({ maxFailures: 2, clock: () => 0 });
    throttle.fail('k');
    throttle.succeed('k');
    throttle.fail('k');
    expect(throttle.retryAfterSeconds('k')).toBe(0);
    throttle.fail('k');
    expect(throttle.retryAfterSeconds('k')).toBe(60);
  });

  it('validates its parameters', () => {
    expect(() => new LoginThrottle({ maxFailures: 0 })).toThrow('maxFailures=0 must be an integer >= 1');
    expect(() => new LoginThrottle({ windowMs: -1 })).toThrow('windowMs=-1 must be > 0');
  });
});
