/**
 * Token buckets per account, refilled lazily from the clock on each call: no timers, so
 * thousands of calls a second cost a subtraction each.
 */
export interface ThrottleConfig {
  /** Tokens added per second. */
  rate: number
  /** Bucket capacity; a bucket starts full. */
  burst: number
}

interface Bucket {
  tokens: number
  last: number
}

export class Throttler {
  private readonly buckets = new Map<string, Bucket>()

  /** True when the call may proceed. Reads the config on every call so tests can change it live. */
  allow(key: string, config: ThrottleConfig | undefined, now: number = performance.now()): boolean {
    if (!config) return true
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { tokens: config.burst, last: now }
      this.buckets.set(key, bucket)
    }
    const elapsed = Math.max(0, now - bucket.last) / 1000
    bucket.tokens = Math.min(config.burst, bucket.tokens + elapsed * config.rate)
    bucket.last = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return true
    }
    return false
  }

  reset(key?: string): void {
    if (key === undefined) this.buckets.clear()
    else this.buckets.delete(key)
  }
}
