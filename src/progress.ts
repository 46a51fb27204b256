import type { CallStats } from './model.js'

export interface ProgressState {
  keysDone: number
  keysKnown: number
  usersDone: number
  stats: CallStats
}

export interface ProgressOptions {
  readonly accountId: string
  readonly log: (line: string) => void
  /** Milliseconds; injected so tests need no timers. */
  readonly now?: () => number
  /** A line at least this often while keys are being read. */
  readonly everyMs?: number
  /** No line before this many milliseconds: a short audit needs no progress report. */
  readonly quietMs?: number
}

/**
 * Returns an `onProgress` callback that logs a line about every 10 % of the keys, or every
 * 30 s when a throttled account crawls: keys done of known, calls a second, throttled so far,
 * and an estimate of the time left; nothing in the first 5 s. `keysKnown` grows while users are still being listed, so
 * the percentage is of what is known so far.
 */
export function progressLogger(opts: ProgressOptions): (state: ProgressState) => void {
  const now = opts.now ?? (() => Date.now())
  const everyMs = opts.everyMs ?? 30_000
  const quietMs = opts.quietMs ?? 5_000
  const started = now()
  let lastLine = started
  let lastTenth = 0
  return state => {
    const t = now()
    if (t - started < quietMs) return
    const tenth = state.keysKnown === 0 ? 0 : Math.floor((state.keysDone * 10) / state.keysKnown)
    const due = t - lastLine >= everyMs
    if (!due && (tenth <= lastTenth || state.keysDone === state.keysKnown)) return
    lastTenth = Math.max(lastTenth, tenth)
    lastLine = t
    opts.log(progressLine(opts.accountId, state, (t - started) / 1000))
  }
}

/** One progress line; pure, for the logger and its tests. */
export function progressLine(accountId: string, state: ProgressState, seconds: number): string {
  const pct = state.keysKnown === 0 ? 0 : Math.floor((state.keysDone * 100) / state.keysKnown)
  const perSecond = seconds > 0 ? state.stats.calls / seconds : 0
  const keysPerSecond = seconds > 0 ? state.keysDone / seconds : 0
  const left = state.keysKnown - state.keysDone
  const eta = keysPerSecond > 0 ? `ETA ${Math.ceil(left / keysPerSecond)} s` : 'ETA unknown'
  return (
    `Account ${accountId}: ${state.keysDone.toLocaleString('en-US')} of ${state.keysKnown.toLocaleString('en-US')} keys (${pct}%) · ` +
    `${state.usersDone.toLocaleString('en-US')} users · ${perSecond.toFixed(0)} calls/s · ${state.stats.throttled} throttled · ${eta}`
  )
}
