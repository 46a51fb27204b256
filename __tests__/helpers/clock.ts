import type { Clock } from '../../src/rate.js'

/** A clock that only moves when told to; sleepers wake in time order as it passes them. */
export class FakeClock implements Clock {
  private t = 0
  private sleepers: Array<{ at: number; wake: () => void }> = []

  now(): number {
    return this.t
  }

  sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      this.sleepers.push({ at: this.t + Math.max(0, ms), wake: resolve })
    })
  }

  /** Moves time forward by `ms`, waking each sleeper at its time and letting its work run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      await settle()
      this.sleepers.sort((a, b) => a.at - b.at)
      const next = this.sleepers[0]
      if (!next || next.at > end) break
      this.sleepers.shift()
      this.t = Math.max(this.t, next.at)
      next.wake()
    }
    this.t = end
    await settle()
  }
}

/** Lets every pending promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}
