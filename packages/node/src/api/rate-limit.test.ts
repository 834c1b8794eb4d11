import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows a burst of capacity, then refills at the rate; the wait says when', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 10 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(100);
    expect(limiter.take('b')).toBe(0); // per address
    now += 100;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(100);
    // A cost larger than what is left takes nothing.
    now += 1000;
    expect(limiter.take('a', 5)).toBe(Number.POSITIVE_INFINITY);
    expect(limiter.take('a', 3)).toBe(0);
  });

  it('stays bounded: refilled buckets are swept, the oldest dropped past maxTrackedIps', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, maxTrackedIps: 100 }, () => now);
    for (let i = 0; i < 1000; i++) limiter.take(`ip${i}`);
    expect(limiter.trackedIps).toBeLessThanOrEqual(100);
    now += 10_000;
    limiter.sweep();
    expect(limiter.trackedIps).toBe(0);
  });
});
