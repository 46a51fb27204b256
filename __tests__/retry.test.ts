import { describe, expect, it } from '@jest/globals'
import { errorMessage } from '../src/errors.js'
import { Pool } from '../src/pool.js'
import { fullJitterDelay, isRetryable, isThrottling, withRetry } from '../src/retry.js'

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } })

describe('withRetry', () => {
  it('retries a throttled call with full-jitter waits until it succeeds', async () => {
    const waits: number[] = []
    const lines: string[] = []
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls < 4) throw awsError('Throttling', 400)
        return 'done'
      },
      {
        attempts: 5,
        baseMs: 100,
        capMs: 1000,
        random: () => 0.5,
        sleep: async ms => void waits.push(ms),
        onRetry: ({ attempt, attempts }) => lines.push(`attempt ${attempt} of ${attempts} failed`)
      }
    )
    expect(result).toBe('done')
    expect(waits).toEqual([50, 100, 200])
    expect(lines).toEqual([
      'attempt 1 of 5 failed',
      'attempt 2 of 5 failed',
      'attempt 3 of 5 failed'
    ])
  })

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw awsError('Throttling', 400)
        },
        { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => {} }
      )
    ).rejects.toThrow('Throttling happened')
    expect(calls).toBe(3)
  })

  it('does not retry AccessDenied', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw awsError('AccessDenied', 403)
        },
        { attempts: 5, baseMs: 1, capMs: 1, sleep: async () => {} }
      )
    ).rejects.toThrow('AccessDenied happened')
    expect(calls).toBe(1)
  })

  it('caps the jitter ceiling', () => {
    expect(fullJitterDelay(20, 100, 20_000, () => 0.999)).toBe(19_980)
    expect(fullJitterDelay(0, 100, 20_000, () => 0)).toBe(0)
  })
})

describe('error classification', () => {
  it.each([
    ['Throttling', 400, true, true],
    ['ServiceFailure', 500, false, true],
    ['AccessDenied', 403, false, false],
    ['NoSuchEntity', 404, false, false],
    ['Whatever', 503, false, true]
  ])('%s (%i): throttling %s, retryable %s', (name, status, throttling, retryable) => {
    const e = awsError(name, status)
    expect([isThrottling(e), isRetryable(e)]).toEqual([throttling, retryable])
  })

  it('treats a socket reset as retryable', () => {
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      true
    )
  })
})

describe('errorMessage', () => {
  it('gives every thrown value a message', () => {
    expect(errorMessage(awsError('AccessDenied', 403))).toBe('AccessDenied: AccessDenied happened')
    expect(errorMessage(new Error('plain'))).toBe('plain')
    expect(errorMessage('a string')).toBe('a string')
    expect(errorMessage({ code: 42 })).toBe('{"code":42}')
    expect(errorMessage(undefined)).toBe('undefined')
  })
})

describe('Pool', () => {
  it('never runs more than its limit, even when tasks finish and start at once', async () => {
    const pool = new Pool(3)
    let running = 0
    let peak = 0
    const task = async (ms: number) => {
      running++
      peak = Math.max(peak, running)
      await new Promise(r => setTimeout(r, ms))
      running--
    }
    await Promise.all(Array.from({ length: 30 }, (_, i) => pool.run(() => task(i % 3))))
    expect(peak).toBe(3)
    expect(running).toBe(0)
  })

  it('runs a task marked first ahead of the queue', async () => {
    const pool = new Pool(1)
    const order: string[] = []
    const done = [pool.run(async () => void order.push('a'))]
    done.push(pool.run(async () => void order.push('b')))
    done.push(pool.run(async () => void order.push('first'), true))
    await Promise.all(done)
    expect(order).toEqual(['a', 'first', 'b'])
  })

  it('keeps going after a task fails', async () => {
    const pool = new Pool(1)
    await expect(pool.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(pool.run(async () => 'next')).resolves.toBe('next')
  })
})
