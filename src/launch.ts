import { Worker, type ResourceLimits } from 'node:worker_threads'
import { redactKeyIds } from './format.js'
import { isCommitted, newThreadData } from './thread.js'

/**
 * Heap limits of the thread that runs the audit.
 *
 * Most of the action's memory is V8 heap that V8 has not yet bothered to collect: with the
 * limits Node derives from a large machine (about 4 GB old generation and 192 MB young on
 * this 24 GB one), a 5,000-user audit that holds a few tens of megabytes alive peaked above
 * 300 MB. A node24 action cannot pass V8 flags, and `v8.setFlagsFromString` cannot resize a
 * heap that already exists; a worker thread's heap, though, is created with these limits.
 *
 * - Old generation 512 MB. Below V8's 2 GB step its heap-growing factor is small, so it
 *   collects early and often at no measurable cost in speed, and 512 MB still holds many
 *   times the live data of a full 5,000-user account, or of 20 accounts of 250.
 * - Young generation 8 MB: the SDK's short-lived request objects die in small scavenges.
 *
 * `npm run bench` prints the peak RSS these give at 5,000 users; the README has the figures.
 */
export const AUDIT_HEAP_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  maxOldGenerationSizeMb: 512,
  maxYoungGenerationSizeMb: 8
})

/** The environment variable that overrides the old-generation limit (in MB; 0: Node's own). */
export const HEAP_ENV = 'IAM_ACCESS_KEY_GATE_HEAP_MB'

/**
 * The heap limits for this run: {@link AUDIT_HEAP_LIMITS}, or the old generation set by
 * `IAM_ACCESS_KEY_GATE_HEAP_MB` (`0` for Node's default limits). A value it cannot use is a
 * warning, not a failed audit: the limit changes how much memory the step takes, never what
 * it finds.
 */
export function heapLimits(value: string | undefined): {
  limits: ResourceLimits | undefined
  warning: string | null
} {
  const raw = (value ?? '').trim()
  if (raw === '') return { limits: AUDIT_HEAP_LIMITS, warning: null }
  if (/^\d+$/.test(raw)) {
    const mb = Number(raw)
    if (mb === 0) return { limits: undefined, warning: null }
    if (mb >= 16 && mb <= 65536)
      return { limits: { ...AUDIT_HEAP_LIMITS, maxOldGenerationSizeMb: mb }, warning: null }
  }
  return {
    limits: AUDIT_HEAP_LIMITS,
    warning:
      `${HEAP_ENV} is '${raw}': it must be a whole number of megabytes from 16 to 65536, or 0 ` +
      `for Node's default heap limit. Using ${AUDIT_HEAP_LIMITS.maxOldGenerationSizeMb} MB.`
  }
}

/** How one run of the audit thread ended. */
export interface ThreadEnd {
  /** The thread's exit code (its `process.exitCode`; 1 when it died of an error). */
  code: number
  /** What killed the thread, when it did not end by itself. */
  error: Error | null
  /** Whether it had begun a step that must not run twice (deactivating keys, the summary, the issue). */
  committed: boolean
}

export interface LaunchDeps {
  /** Runs the audit in a thread with these limits (`undefined`: Node's defaults). */
  runThread(limits: ResourceLimits | undefined): Promise<ThreadEnd>
  warning(message: string): Promise<void>
  /** Reports a run that ended without its own verdict: summary, outputs, failed step. */
  crashed(message: string): Promise<void>
}

/** Whether a worker died at its heap limit (`ERR_WORKER_OUT_OF_MEMORY`). */
export function isOutOfMemory(error: Error | null): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
}

/**
 * Runs the audit in a thread with `limits` (see {@link heapLimits}; `undefined` is Node's
 * default) and returns the process's exit code. A run that outgrows the limit is started once
 * more with Node's own limits, unless it had already begun to change things; a thread that
 * dies any other way is reported as a failed, incomplete audit — never as a clean one.
 */
export async function launch(
  deps: LaunchDeps,
  limits: ResourceLimits | undefined
): Promise<number> {
  let end = await deps.runThread(limits)
  if (limits !== undefined && isOutOfMemory(end.error) && !end.committed) {
    await deps.warning(
      `The audit needed more than the ${limits.maxOldGenerationSizeMb} MB heap it runs with; ` +
        `starting it again with Node’s default heap limit (nothing had been changed yet). ` +
        `Set ${HEAP_ENV} to a larger limit, or 0, to skip the first try.`
    )
    end = await deps.runThread(undefined)
  }
  if (end.error === null) return end.code
  const why = isOutOfMemory(end.error)
    ? 'it ran out of memory'
    : // The launcher does not know reveal-key-ids: an id in the message is always shortened.
      `of an unexpected error: ${redactKeyIds(end.error.message, false)}`
  const partWay = end.committed
    ? ' It stopped after it had begun deactivating keys or writing the summary and issue, so it was not run again; check what it did in the log.'
    : ''
  await deps.crashed(`The audit did not finish because ${why}.${partWay}`)
  return 1
}

/** Starts `entry` as a worker thread and waits for it to end. */
export function runThread(entry: URL, limits: ResourceLimits | undefined): Promise<ThreadEnd> {
  return new Promise(resolve => {
    const data = newThreadData()
    const worker = new Worker(entry, { resourceLimits: limits, workerData: data })
    let error: Error | null = null
    worker.on('error', e => (error = e))
    worker.on('exit', code =>
      resolve({
        code: error !== null && code === 0 ? 1 : code,
        error,
        committed: isCommitted(data)
      })
    )
  })
}

/**
 * The step's main thread: reads `IAM_ACCESS_KEY_GATE_HEAP_MB`, runs `entry` (the bundle
 * itself) as the audit thread and sets the process's exit code. `@actions/core` and `main.js`
 * are loaded here only when there is something to say, so the main thread stays small.
 */
export async function startAudit(entry: URL): Promise<void> {
  const heap = heapLimits(process.env[HEAP_ENV])
  if (heap.warning !== null) (await import('@actions/core')).warning(heap.warning)
  process.exitCode = await launch(
    {
      runThread: limits => runThread(entry, limits),
      warning: async message => {
        const { endGroup, warning } = await import('@actions/core')
        endGroup() // the thread that ran out of memory may have left a log group open
        warning(message)
      },
      crashed: async message => (await import('./main.js')).reportCrash(message)
    },
    heap.limits
  )
}
