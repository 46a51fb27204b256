/**
 * Jobs as plain data, handled by a fixed number of workers; a job of an earlier lane always
 * goes before one of a later lane.
 *
 * Why not one promise per job: an account's audit has a job per user and per key, 12,500 at
 * 5,000 users. Started all at once, each is a suspended async function with its closures and
 * promises waiting for a slot — tens of megabytes of heap that hold nothing but a place in
 * line. Here a waiting job is the record it works on, and only `workers` functions are alive.
 */
export class WorkQueue<T> {
  private readonly lanes: T[][]
  private readonly heads: number[]
  private active = 0
  private closed = false
  private failure: { error: unknown } | null = null
  private readonly idle: Array<() => void> = []
  private readonly finished: Promise<void>

  /**
   * @param workers how many jobs run at once (at least 1)
   * @param laneCount how many lanes; lane 0 first
   * @param handle runs one job; it may push more jobs. A job that throws stops the queue and
   *   `done()` rejects with its error: a lost job must not pass for a finished audit.
   */
  constructor(
    workers: number,
    laneCount: number,
    private readonly handle: (job: T) => Promise<void>
  ) {
    if (!Number.isInteger(workers) || workers < 1)
      throw new RangeError(`workers must be a whole number ≥ 1, got ${workers}`)
    this.lanes = Array.from({ length: laneCount }, () => [])
    this.heads = this.lanes.map(() => 0)
    this.finished = Promise.all(Array.from({ length: workers }, () => this.work())).then(() => {
      if (this.failure) throw this.failure.error
    })
    // `done()` may be called late; until then a failure must not count as unhandled.
    this.finished.catch(() => undefined)
  }

  /** Queues a job in `lane`. */
  push(lane: number, job: T): void {
    if (this.closed && this.active === 0)
      throw new Error('WorkQueue: push after the queue was closed and drained')
    this.lanes[lane].push(job)
    this.idle.shift()?.()
  }

  /** No more jobs from outside; jobs that are running may still push. */
  close(): void {
    this.closed = true
    this.wakeAll()
  }

  /** Resolves once closed and every job has been handled; rejects with a job's error. */
  done(): Promise<void> {
    return this.finished
  }

  private next(): T | undefined {
    for (let lane = 0; lane < this.lanes.length; lane++) {
      const queue = this.lanes[lane]
      if (this.heads[lane] < queue.length) {
        const job = queue[this.heads[lane]++]
        // Drop handled jobs now and then, so a long lane does not keep them all.
        if (this.heads[lane] >= 1024 && this.heads[lane] * 2 >= queue.length) {
          queue.splice(0, this.heads[lane])
          this.heads[lane] = 0
        }
        return job
      }
    }
    return undefined
  }

  private async work(): Promise<void> {
    for (;;) {
      if (this.failure) return
      const job = this.next()
      if (job === undefined) {
        // Nothing queued: finished when no more can come, else wait for a push.
        if (this.closed && this.active === 0) {
          this.wakeAll()
          return
        }
        await new Promise<void>(resolve => this.idle.push(resolve))
        continue
      }
      this.active++
      try {
        await this.handle(job)
      } catch (error) {
        this.failure ??= { error }
        this.wakeAll()
      } finally {
        this.active--
      }
      if (this.closed && this.active === 0) this.wakeAll()
    }
  }

  private wakeAll(): void {
    for (const wake of this.idle.splice(0)) wake()
  }
}
