/**
 * Runs tasks with at most `limit` in flight. Tasks queue in order; a rejected task does not
 * stop the others (each caller gets its own result or error).
 */
export class Pool {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`pool limit must be a whole number ≥ 1, got ${limit}`)
  }

  /** Number of tasks running now. */
  get running(): number {
    return this.active
  }

  /** Runs `task` when a slot is free; `first` puts it ahead of the queue (e.g. the next page). */
  async run<T>(task: () => Promise<T>, first = false): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so a newcomer can never
    // slip in between and push the count over the limit.
    if (this.active < this.limit) this.active++
    else
      await new Promise<void>(resolve =>
        first ? this.waiting.unshift(resolve) : this.waiting.push(resolve)
      )
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
