import { describe, expect, it } from '@jest/globals'
import { RateController } from '../src/rate.js'
import { FakeClock } from './helpers/clock.js'

/** A server token bucket on the fake clock, like the emulator's and like IAM's. */
function bucket(clock: FakeClock, rate: number, burst: number): () => boolean {
  let tokens = burst
  let last = clock.now()
  return () => {
    tokens = Math.min(burst, tokens + ((clock.now() - last) * rate) / 1000)
    last = clock.now()
    if (tokens >= 1) {
      tokens -= 1
      return true
    }
    return false
  }
}

/**
 * Drives `calls` calls through the controller against a bucket, each retried until it
 * succeeds, `inFlight` at a time, with no latency; returns the fake seconds it took and
 * how many answers were throttled.
 */
async function drive(
  rc: RateController,
  clock: FakeClock,
  allow: () => boolean,
  calls: number,
  inFlight = 16
): Promise<{ seconds: number; throttled: number }> {
  let next = 0
  let done = 0
  let throttled = 0
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next++
      for (;;) {
        const sentAt = await rc.acquire()
        if (allow()) {
          rc.succeeded()
          break
        }
        throttled++
        rc.throttled(sentAt)
        await clock.sleep(50)
      }
      done++
    }
  }
  const workers = Promise.all(Array.from({ length: inFlight }, worker))
  while (done < calls) await clock.advance(10)
  await workers
  return { seconds: clock.now() / 1000, throttled }
}

describe('RateController', () => {
  it('paces calls at its starting rate', async () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock, initialRate: 10, maxRate: 10 })
    const sent: number[] = []
    const all = Promise.all(
      Array.from({ length: 5 }, () => rc.acquire().then(t => void sent.push(t)))
    )
    await clock.advance(1000)
    await all
    expect(sent).toEqual([0, 100, 200, 300, 400])
  })

  it('doubles its rate every 250 ms of success before the first throttle', async () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock })
    expect(rc.rate).toBe(20)
    await clock.advance(250)
    rc.succeeded()
    expect(rc.rate).toBeCloseTo(40)
    await clock.advance(250)
    rc.succeeded()
    expect(rc.rate).toBeCloseTo(80)
    expect(rc.snapshot().slowStart).toBe(true)
  })

  it('on a throttle drops to 0.9 × the measured success rate, and then grows by 5 % a second', async () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock, initialRate: 1000, maxRate: 1000, windowMs: 2000 })
    // 100 successes a second for two seconds: the server's real rate.
    for (let i = 0; i < 200; i++) {
      await clock.advance(10)
      rc.succeeded()
    }
    rc.throttled(clock.now())
    expect(rc.rate).toBeCloseTo(90, 0)
    expect(rc.snapshot()).toMatchObject({ slowStart: false, decreases: 1 })
    await clock.advance(1000)
    rc.succeeded()
    expect(rc.rate).toBeCloseTo(94.5, 0)
  })

  it('after a quiet spell, measures the rate IAM just allowed, not an average over the spell', async () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock, initialRate: 1000, maxRate: 1000, windowMs: 2000 })
    // Waiting for the credential report: nothing for five seconds, then 100 calls a second.
    await clock.advance(5000)
    for (let i = 0; i < 50; i++) {
      await clock.advance(10)
      rc.succeeded()
    }
    rc.throttled(clock.now())
    expect(rc.rate).toBeGreaterThan(85)
    expect(rc.rate).toBeLessThan(95)
  })

  it('does not let a quiet spell in slow start multiply its rate', async () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock, initialRate: 20 })
    await clock.advance(5000)
    rc.succeeded()
    expect(rc.rate).toBeCloseTo(40, 5)
  })

  it('ignores throttles of calls sent before its last decrease', async () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock, initialRate: 100 })
    await clock.advance(100)
    const sentEarly = clock.now()
    await clock.advance(100)
    rc.throttled(clock.now())
    const after = rc.rate
    rc.throttled(sentEarly)
    expect(rc.rate).toBe(after)
    expect(rc.snapshot().decreases).toBe(1)
  })

  it('never goes below its minimum rate', () => {
    const clock = new FakeClock()
    const rc = new RateController({ clock, initialRate: 1, minRate: 0.5 })
    for (let i = 0; i < 20; i++) rc.throttled(clock.now())
    expect(rc.rate).toBe(0.5)
  })

  it.each([
    [100, 200, 3000],
    [5, 10, 300],
    [20, 40, 600]
  ])(
    'finds a %i calls/s bucket (burst %i) and finishes %i calls within 15 % of the ideal time',
    async (rate, burst, calls) => {
      const clock = new FakeClock()
      const rc = new RateController({ clock })
      const result = await drive(rc, clock, bucket(clock, rate, burst), calls)
      const ideal = (calls - burst) / rate
      expect(result.seconds).toBeLessThanOrEqual(ideal * 1.15)
      expect(result.throttled).toBeGreaterThan(0)
      expect(result.throttled).toBeLessThan(calls * 0.5)
    }
  )

  it('keeps separate controllers independent (one per account)', async () => {
    const clock = new FakeClock()
    const a = new RateController({ clock, initialRate: 50 })
    const b = new RateController({ clock, initialRate: 50 })
    a.throttled(clock.now())
    expect(a.rate).toBeLessThan(50)
    expect(b.rate).toBe(50)
  })
})
