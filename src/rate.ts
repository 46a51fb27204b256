/**
 * Client-side rate control for one account's IAM calls.
 *
 * IAM throttles with a token bucket whose rate it does not publish. Limiting only the calls in
 * flight cannot find that rate: at 1 ms latency a single call in flight is already 1,000 calls
 * a second. So calls are paced by a send rate that this controller adapts:
 *
 * - **Slow start**: from a modest rate (20 calls/s) it doubles every quarter second while no call
 *   is throttled.
 * - **Multiplicative decrease**: a `Throttling` answer sets the rate to `beta` × the rate at
 *   which calls actually succeeded over the last `windowMs` (the bucket's real rate, as seen
 *   from here), or × the send rate when that is lower. Only a call sent after the last decrease
 *   can cause another one: the throttles of calls already in the air say nothing new.
 * - **Additive increase**: after that, each second of success adds `increase` × the rate, so
 *   the rate creeps back above the bucket's rate and probes for more.
 *
 * Throttled calls cost the server no tokens, so hovering just above its rate keeps the bucket
 * drained (full speed) while a few calls are throttled and retried; a rate below it wastes
 * tokens, which the bucket's burst only partly saves.
 */

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number
  sleep(ms: number): Promise<void>
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}

export interface RateOptions {
  /** Calls a second to start with. */
  initialRate?: number
  /** Never slower than this, calls a second. */
  minRate?: number
  /** Never faster than this, calls a second. */
  maxRate?: number
  /** Factor applied to the measured rate on a throttle. */
  beta?: number
  /** Share of the rate added per second of success after the first throttle. */
  increase?: number
  /** Slow start doubles the rate this often. */
  doublingMs?: number
  /** Window over which the success rate is measured. */
  windowMs?: number
  clock?: Clock
}

const DEFAULTS = {
  initialRate: 20,
  minRate: 0.2,
  maxRate: 10_000,
  beta: 0.9,
  increase: 0.05,
  doublingMs: 250,
  windowMs: 2000
}

/** The controller's state for logs and tests. */
export interface RateSnapshot {
  /** Current send rate, calls a second. */
  rate: number
  /** Successes a second over the last window. */
  measured: number
  slowStart: boolean
  decreases: number
}

/** Paces calls at an adaptive rate; see the module comment for the algorithm. */
export class RateController {
  private readonly o: typeof DEFAULTS
  private readonly clock: Clock
  private current: number
  private slowStart = true
  private lastGrowth: number
  private lastDecrease = -Infinity
  private decreaseCount = 0
  private readonly successes: number[] = []
  private successHead = 0
  // Pacing: a token bucket of capacity `capacity()` refilled at `current`, and a FIFO queue.
  private tokens = 1
  private lastRefill: number
  private readonly queue: Array<() => void> = []
  private pumping = false

  constructor(opts: RateOptions = {}) {
    this.o = { ...DEFAULTS, ...stripUndefined(opts) }
    this.clock = opts.clock ?? realClock
    this.current = Math.min(this.o.maxRate, Math.max(this.o.minRate, this.o.initialRate))
    this.lastGrowth = this.lastRefill = this.clock.now()
  }

  /** Current send rate, calls a second. */
  get rate(): number {
    return this.current
  }

  snapshot(): RateSnapshot {
    return {
      rate: this.current,
      measured: this.measured(this.clock.now()),
      slowStart: this.slowStart,
      decreases: this.decreaseCount
    }
  }

  /** Waits for this call's turn; resolves with the send time to pass back to `throttled`. */
  async acquire(): Promise<number> {
    await new Promise<void>(resolve => {
      this.queue.push(resolve)
      if (!this.pumping) void this.pump()
    })
    return this.clock.now()
  }

  /** A call succeeded (or failed for a reason other than throttling). */
  succeeded(): void {
    const now = this.clock.now()
    this.successes.push(now)
    this.grow(now)
  }

  /** A call sent at `sentAt` was throttled. */
  throttled(sentAt: number): void {
    const now = this.clock.now()
    if (sentAt < this.lastDecrease) return
    const measured = this.measured(now)
    const base = measured > 0 ? Math.min(this.current, measured) : this.current
    this.current = Math.max(this.o.minRate, base * this.o.beta)
    this.slowStart = false
    this.lastDecrease = now
    this.lastGrowth = now
    this.decreaseCount++
  }

  private grow(now: number): void {
    // A quiet spell (waiting for the credential report, a lull between pages) is no evidence
    // that IAM could take more: count at most one doubling period of it.
    const elapsed = Math.max(0, now - this.lastGrowth)
    const dt = this.slowStart ? Math.min(this.o.doublingMs, elapsed) : elapsed
    this.lastGrowth = now
    let next = this.slowStart
      ? this.current * 2 ** (dt / this.o.doublingMs)
      : this.current + this.current * this.o.increase * (dt / 1000)
    // When something else limits the calls (latency, the concurrency cap), a send rate far
    // above what succeeds is not a rate anyone is using: keep it within reach of reality.
    // Not in slow start: there the measured rate lags a doubling rate by design.
    if (!this.slowStart) next = Math.min(next, Math.max(2 * this.measured(now), this.o.initialRate))
    this.current = Math.min(this.o.maxRate, Math.max(this.o.minRate, next))
  }

  private measured(now: number): number {
    const from = now - this.o.windowMs
    while (
      this.successHead < this.successes.length &&
      (this.successes[this.successHead] ?? Infinity) < from
    )
      this.successHead++
    if (this.successHead > 4096) {
      this.successes.splice(0, this.successHead)
      this.successHead = 0
    }
    // Measured from the first success in the window, not from its start: after a quiet spell
    // the window's empty part would make the rate look far lower than IAM just allowed, and a
    // decrease to that would take tens of seconds to climb back from. A floor on the span keeps
    // a burst answered at once from reading as a huge rate.
    const count = this.successes.length - this.successHead
    if (count === 0) return 0
    const oldest = this.successes[this.successHead] ?? now
    const span = Math.min(this.o.windowMs, Math.max(now - oldest, this.o.doublingMs))
    return (count * 1000) / span
  }

  /** Room for a few calls at once so that high rates are not capped by timer resolution. */
  private capacity(): number {
    return Math.max(1, this.current * 0.02)
  }

  private async pump(): Promise<void> {
    this.pumping = true
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now()
        this.tokens = Math.min(
          this.capacity(),
          this.tokens + ((now - this.lastRefill) * this.current) / 1000
        )
        this.lastRefill = now
        if (this.tokens >= 1) {
          this.tokens -= 1
          this.queue.shift()?.()
          continue
        }
        // Whole milliseconds: timers have no finer grain, and a sub-ms wait could round to none.
        await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.current)))
      }
    } finally {
      this.pumping = false
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
