/**
 * Per-IP token buckets: `capacity` calls of burst, refilled at `refillPerSecond`. A JSON-RPC
 * call costs one token (a batch one per call, a WebSocket message one), so a client cannot
 * buy more work by batching. Buckets live in a Map bounded by `maxTrackedIps`: full buckets
 * carry no information and are dropped first; past the bound the oldest are dropped.
 */
export interface RateLimitOptions {
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Bound on the tracked addresses (memory); default 100k. */
  readonly maxTrackedIps?: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly maxTracked: number;

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond >= 0)) {
      throw new RangeError('a rate limit needs capacity ≥ 1 and refillPerSecond ≥ 0');
    }
    this.capacity = options.capacity;
    this.refillPerMs = options.refillPerSecond / 1000;
    this.maxTracked = options.maxTrackedIps ?? 100_000;
  }

  /**
   * Takes `cost` tokens from `ip`'s bucket; returns 0 when allowed, else the milliseconds until
   * enough tokens will be there (nothing is taken then).
   */
  take(ip: string, cost = 1): number {
    const now = this.now();
    let bucket = this.buckets.get(ip);
    if (bucket) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updated) * this.refillPerMs);
      bucket.updated = now;
    } else {
      if (this.buckets.size >= this.maxTracked) this.evict();
      bucket = { tokens: this.capacity, updated: now };
      this.buckets.set(ip, bucket);
    }
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    if (this.refillPerMs === 0 || cost > this.capacity) return Number.POSITIVE_INFINITY;
    return Math.ceil((cost - bucket.tokens) / this.refillPerMs);
  }

  get trackedIps(): number {
    return this.buckets.size;
  }

  /** Drops the buckets that have refilled (they equal a fresh one); then the oldest half if needed. */
  sweep(): void {
    const now = this.now();
    for (const [ip, b] of this.buckets) {
      if (b.tokens + (now - b.updated) * this.refillPerMs >= this.capacity) this.buckets.delete(ip);
    }
  }

  private evict(): void {
    this.sweep();
    if (this.buckets.size < this.maxTracked) return;
    let drop = Math.ceil(this.buckets.size / 2);
    for (const ip of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(ip);
    }
  }
}
