import { getHeapStatistics } from 'node:v8'
import { Worker, type ResourceLimits } from 'node:worker_threads'
import { redactKeyIds } from './format.js'
import { COMMITTED, FINISHED, newThreadData, stageOf, SUMMARY_WRITTEN } from './thread.js'

/**
 * Heap limits of the thread that runs the audit.
 *
 * Most of the action's memory is V8 heap that V8 has not yet bothered to collect: with the
 * limits Node derives from a large machine (about 4 GB old generation and 192 MB young on
 * this 24 GB one), a 5,000-user audit that holds a few tens of megabytes alive peaked above
 * 300 MB. An action's `runs` cannot pass V8 flags (only a workflow's `NODE_OPTIONS` can, see
 * {@link heapFlagOf}), and `v8.setFlagsFromString` cannot resize a heap that already exists;
 * a worker thread's heap, though, is created with these limits.
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
 * The old-generation limit a `--max-old-space-size` flag sets for the whole process, in MB, or
 * null. V8's flags are the process's: such a flag (from a workflow's `NODE_OPTIONS`, say) wins
 * over a worker's `resourceLimits`, so the audit thread then gets the flag's heap whatever it
 * asks for. The last flag counts, as in Node.
 */
export function heapFlagOf(
  execArgv: readonly string[],
  nodeOptions: string | undefined
): number | null {
  const args = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  let mb: number | null = null
  for (let i = 0; i < args.length; i++) {
    const m = /^--max[-_]old[-_]space[-_]size(?:=(.*))?$/.exec(args[i])
    if (!m) continue
    const value = Number(m[1] ?? args[++i])
    if (Number.isFinite(value) && value > 0) mb = value
  }
  return mb
}

/**
 * The heap limits for this run: {@link AUDIT_HEAP_LIMITS}, or the old generation set by
 * `IAM_ACCESS_KEY_GATE_HEAP_MB` (`0` for Node's default limits). A value it cannot use is a
 * warning, not a failed audit: the limit changes how much memory the step takes, never what
 * it finds. When `--max-old-space-size` is set for the process ({@link heapFlagOf}), that flag
 * decides the heap: the thread asks for no limits of its own, and a run that outgrows it is
 * not started again.
 *
 * @param nodeDefaultMb the heap Node gives a thread with no limits, in MB: a run that outgrows
 *   a limit well below it (a quarter of headroom at least: Node's figure counts the young
 *   generation too) may run again with Node's; one that outgrows a limit near or above it may
 *   not, since the second run would have no more room.
 * @param flagMb the process's `--max-old-space-size`, or null
 */
export function heapLimits(
  value: string | undefined,
  nodeDefaultMb: number,
  flagMb: number | null = null
): HeapChoice & { warning: string | null } {
  const raw = (value ?? '').trim()
  const choose = (limits: ResourceLimits | undefined, warning: string | null = null) => ({
    limits,
    retry:
      limits?.maxOldGenerationSizeMb !== undefined &&
      limits.maxOldGenerationSizeMb * 1.25 <= nodeDefaultMb,
    warning
  })
  if (flagMb !== null)
    return choose(
      undefined,
      raw === '' || raw === '0'
        ? null
        : `${HEAP_ENV} is ignored: --max-old-space-size=${flagMb} (from NODE_OPTIONS or Node's arguments) ` +
            `sets the heap of every thread of the process. Remove it from NODE_OPTIONS to use ${HEAP_ENV}.`
    )
  if (raw === '') return choose(AUDIT_HEAP_LIMITS)
  if (/^\d+$/.test(raw)) {
    const mb = Number(raw)
    if (mb === 0) return choose(undefined)
    if (mb >= 16 && mb <= 65536) return choose({ ...AUDIT_HEAP_LIMITS, maxOldGenerationSizeMb: mb })
  }
  return choose(
    AUDIT_HEAP_LIMITS,
    `${HEAP_ENV} is '${raw}': it must be a whole number of megabytes from 16 to 65536, or 0 ` +
      `for Node's default heap limit. Using ${AUDIT_HEAP_LIMITS.maxOldGenerationSizeMb} MB.`
  )
}

/** Node's own heap limit for a thread with no `resourceLimits`, in MB (a worker gets the main thread's). */
export function nodeDefaultHeapMb(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20)
}

/** The heap the audit thread gets, and whether a run that outgrows it runs again without. */
export interface HeapChoice {
  /** `undefined`: Node's default limits. */
  limits: ResourceLimits | undefined
  /** Whether Node's default limit is a quarter larger at least, so that a second run has more room. */
  retry: boolean
}

/** How one run of the audit thread ended. */
export interface ThreadEnd {
  /** The thread's exit code (its `process.exitCode`; 1 when it died of an error). */
  code: number
  /** What killed the thread, when it did not end by itself. */
  error: Error | null
  /** How far it got: `STARTED` … `FINISHED` (see thread.ts). */
  stage: number
}

export interface LaunchDeps {
  /** Runs the audit in a thread with these limits (`undefined`: Node's defaults). */
  runThread(limits: ResourceLimits | undefined): Promise<ThreadEnd>
  warning(message: string): Promise<void>
  /** Reports a run that ended without its own verdict: summary, outputs, failed step. */
  crashed(message: string, summaryWritten: boolean): Promise<void>
}

/** Whether a worker died at its heap limit (`ERR_WORKER_OUT_OF_MEMORY`). */
export function isOutOfMemory(error: Error | null): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
}

/**
 * Runs the audit in a thread with the chosen heap and returns the process's exit code. A run
 * that outgrows a limit smaller than Node's own is started once more with Node's, unless it had
 * already begun to change things. A thread that ends without finishing — of an error, out of
 * memory, or stuck — is reported as a failed, incomplete audit, never as a clean one.
 */
export async function launch(deps: LaunchDeps, heap: HeapChoice): Promise<number> {
  let end = await deps.runThread(heap.limits)
  if (
    heap.retry &&
    heap.limits !== undefined &&
    isOutOfMemory(end.error) &&
    end.stage < COMMITTED
  ) {
    await deps.warning(
      `The audit needed more than the ${heap.limits.maxOldGenerationSizeMb} MB heap it runs with; ` +
        `starting it again with Node’s default heap limit (nothing had been changed yet). ` +
        `Set ${HEAP_ENV} to a larger limit, or 0, to skip the first try.`
    )
    end = await deps.runThread(undefined)
  }
  if (end.stage === FINISHED && end.error === null) return end.code
  const why =
    end.error === null
      ? `its thread stopped with exit code ${end.code} before the end`
      : isOutOfMemory(end.error)
        ? 'it ran out of memory'
        : // The launcher does not know reveal-key-ids: an id in the message is always shortened.
          `of an unexpected error: ${redactKeyIds(end.error.message, false)}`
  const partWay =
    end.stage >= COMMITTED
      ? ' It stopped after it had begun deactivating keys or writing the summary and issue, so it was not run again. ' +
        'Its last log lines may be missing (a thread that dies cannot always hand them over): check the tracking issue, ' +
        'and for deactivated keys IAM itself or CloudTrail’s UpdateAccessKey events.'
      : ''
  await deps.crashed(
    `The audit did not finish because ${why}.${partWay}`,
    end.stage >= SUMMARY_WRITTEN
  )
  return 1
}

/** Starts `entry` as a worker thread and waits for it to end. */
export function runThread(entry: URL, limits: ResourceLimits | undefined): Promise<ThreadEnd> {
  return new Promise(resolve => {
    const data = newThreadData()
    const worker = new Worker(entry, { resourceLimits: limits, workerData: data })
    let error: Error | null = null
    // A thread can throw anything, even null: it is an error all the same. (What a thread
    // throws arrives as a copy, so it is told by its shape, not by its class.)
    worker.on('error', (e: unknown) => {
      const errorLike =
        typeof e === 'object' && e !== null && typeof (e as Error).message === 'string'
      error = errorLike ? (e as Error) : new Error(`the thread threw ${String(e)}`)
    })
    worker.on('exit', code =>
      resolve({ code: error !== null && code === 0 ? 1 : code, error, stage: stageOf(data) })
    )
  })
}

/**
 * The step's main thread: reads `IAM_ACCESS_KEY_GATE_HEAP_MB`, runs `entry` (the bundle
 * itself) as the audit thread and sets the process's exit code. `@actions/core` and `main.js`
 * are loaded here only when there is something to say, so the main thread stays small.
 */
export async function startAudit(entry: URL): Promise<void> {
  const heap = heapLimits(
    process.env[HEAP_ENV],
    nodeDefaultHeapMb(),
    heapFlagOf(process.execArgv, process.env.NODE_OPTIONS)
  )
  if (heap.warning !== null) (await import('@actions/core')).warning(heap.warning)
  process.exitCode = await launch(
    {
      runThread: limits => runThread(entry, limits),
      warning: async message => {
        const { endGroup, warning } = await import('@actions/core')
        endGroup() // the thread that ran out of memory may have left a log group open
        warning(message)
      },
      crashed: async (message, summaryWritten) =>
        (await import('./main.js')).reportCrash(message, summaryWritten)
    },
    heap
  )
}
