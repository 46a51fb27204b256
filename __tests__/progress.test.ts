import { describe, expect, it } from '@jest/globals'
import { progressLine, progressLogger, type ProgressState } from '../src/progress.js'

const state = (keysDone: number, keysKnown: number, calls = 0, throttled = 0): ProgressState => ({
  keysDone,
  keysKnown,
  usersDone: 10,
  stats: { calls, retries: throttled, throttled, failed: 0 }
})

describe('progressLine', () => {
  it('says keys done of known, calls a second, throttled so far and the time left', () => {
    expect(progressLine('123456789012', state(4500, 7512, 9000, 312), 90)).toBe(
      'Account 123456789012: 4,500 of 7,512 keys (59%) · 10 users · 100 calls/s · 312 throttled · ETA 61 s'
    )
  })

  it('has no estimate before the first key', () => {
    expect(progressLine('123456789012', state(0, 10), 0)).toContain('ETA unknown')
  })
})

describe('progressLogger', () => {
  it('logs at every tenth of the keys and at least every 30 s, not on every key', () => {
    let t = 0
    const lines: string[] = []
    const onProgress = progressLogger({
      accountId: 'a',
      log: l => lines.push(l),
      now: () => t,
      quietMs: 0
    })
    for (let done = 1; done <= 100; done++) {
      t += 100
      onProgress(state(done, 200))
    }
    expect(lines.map(l => /\((\d+)%\)/.exec(l)?.[1])).toEqual(['10', '20', '30', '40', '50'])
    t += 30_000
    onProgress(state(101, 200))
    expect(lines).toHaveLength(6)
    t += 1000
    onProgress(state(102, 200))
    expect(lines).toHaveLength(6)
  })

  it('says nothing during the first 5 s, so a short audit logs no progress', () => {
    let t = 0
    const lines: string[] = []
    const onProgress = progressLogger({ accountId: 'a', log: l => lines.push(l), now: () => t })
    for (let done = 1; done <= 40; done++) {
      t += 100
      onProgress(state(done, 40))
    }
    expect(lines).toEqual([])
    const slow = progressLogger({ accountId: 'b', log: l => lines.push(l), now: () => t })
    t += 6000
    slow(state(5, 40))
    expect(lines.map(l => /\((\d+)%\)/.exec(l)?.[1])).toEqual(['12'])
  })
})
