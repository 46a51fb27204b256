import { isMainThread, workerData } from 'node:worker_threads'

/**
 * How far the audit thread got, in order; the launcher reads it after the thread ended.
 * - `COMMITTED`: about to change something (deactivate a key, write the issue or summary), so
 *   a thread that dies from here on must not be run again;
 * - `SUMMARY_WRITTEN`: the job summary has the run's verdict;
 * - `FINISHED`: `run()` returned: the exit code is the verdict's.
 */
export const STARTED = 0
export const COMMITTED = 1
export const SUMMARY_WRITTEN = 2
export const FINISHED = 3

/**
 * What the launcher hands the audit thread: shared memory the thread writes its stage to,
 * synchronously. A message could be lost when the thread is killed right after sending it;
 * a write to shared memory cannot.
 */
export interface ThreadData {
  stage: SharedArrayBuffer
}

/** Fresh shared memory for one run of the audit thread. */
export function newThreadData(): ThreadData {
  return { stage: new SharedArrayBuffer(4) }
}

/** The stage the thread that was given `data` reached. */
export function stageOf(data: ThreadData): number {
  return Atomics.load(new Int32Array(data.stage), 0)
}

/** Records that the audit thread reached `stage` (never goes back). Elsewhere, nothing. */
export function reachStage(stage: number): void {
  if (isMainThread) return
  const data = workerData as Partial<ThreadData> | null
  if (!(data?.stage instanceof SharedArrayBuffer)) return
  const cell = new Int32Array(data.stage)
  if (Atomics.load(cell, 0) < stage) Atomics.store(cell, 0, stage)
}

/** The run is about to change something: from now on it must not be run twice. */
export function markCommitted(): void {
  reachStage(COMMITTED)
}
