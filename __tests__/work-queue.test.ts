/** The work queue behind an account's audit: bounded workers, lanes in order, nothing lost. */
import { describe, expect, it } from '@jest/globals'
import { WorkQueue } from '../src/work-queue.js'

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

describe('WorkQueue', () => {
  it('never runs more jobs at once than it has workers, and handles every job', async () => {
    let running = 0
    let most = 0
    const handled: number[] = []
    const q = new WorkQueue<number>(3, 1, async n => {
      running++
      most = Math.max(most, running)
      await tick()
      handled.push(n)
      running--
    })
    for (let n = 0; n < 50; n++) q.push(0, n)
    q.close()
    await q.done()
    expect(most).toBe(3)
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n))
  })

  it('takes an earlier lane first, also for jobs pushed by running jobs', async () => {
    const order: string[] = []
    const q = new WorkQueue<string>(1, 2, async job => {
      order.push(job)
      if (job.startsWith('user')) q.push(1, `key of ${job}`)
      await tick()
    })
    q.push(0, 'user 1')
    q.push(0, 'user 2')
    q.push(0, 'user 3')
    q.close()
    await q.done()
    expect(order).toEqual([
      'user 1',
      'user 2',
      'user 3',
      'key of user 1',
      'key of user 2',
      'key of user 3'
    ])
  })

  it('waits for jobs pushed later, and finishes only once closed', async () => {
    const handled: number[] = []
    const q = new WorkQueue<number>(4, 1, async n => void handled.push(n))
    let finished = false
    void q.done().then(() => (finished = true))
    await tick()
    expect(finished).toBe(false)
    q.push(0, 1)
    await tick()
    q.push(0, 2)
    await tick()
    expect(handled).toEqual([1, 2])
    expect(finished).toBe(false)
    q.close()
    await q.done()
    expect(finished).toBe(true)
  })

  it('finishes at once when closed with nothing queued', async () => {
    const q = new WorkQueue<number>(2, 1, async () => undefined)
    q.close()
    await expect(q.done()).resolves.toBeUndefined()
  })

  it('rejects done() with the error of a job that threw, so a lost job cannot pass unseen', async () => {
    const q = new WorkQueue<number>(2, 1, async n => {
      await tick()
      if (n === 3) throw new Error('job 3 failed')
    })
    for (let n = 0; n < 10; n++) q.push(0, n)
    q.close()
    await expect(q.done()).rejects.toThrow('job 3 failed')
  })

  it('handles a long lane in order while it drops handled jobs', async () => {
    const handled: number[] = []
    const q = new WorkQueue<number>(1, 1, async n => void handled.push(n))
    for (let n = 0; n < 5000; n++) q.push(0, n)
    q.close()
    await q.done()
    expect(handled).toEqual(Array.from({ length: 5000 }, (_, n) => n))
  })

  it('refuses a job pushed after it was closed and drained: nobody would handle it', async () => {
    const q = new WorkQueue<number>(1, 1, async () => undefined)
    q.close()
    await q.done()
    expect(() => q.push(0, 1)).toThrow('WorkQueue: push after the queue was closed and drained')
  })

  it('refuses a worker count that is not a whole number of at least 1', () => {
    expect(() => new WorkQueue<number>(0, 1, async () => undefined)).toThrow(
      'workers must be a whole number ≥ 1, got 0'
    )
  })
})
