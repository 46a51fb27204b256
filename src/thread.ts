import { isMainThread, workerData } from 'node:worker_threads'

/**
 * What the launcher hands the audit thread: a shared flag the thread sets, synchronously,
 * before its first step that must not run twice. A message could be lost when the thread is
 * killed right after sending it; a write to shared memory cannot.
 */
export interface ThreadData {
  committed: SharedArrayBuffer
}

/** A fresh flag for one run of the audit thread. */
export function newThreadData(): ThreadData {
  return { committed: new SharedArrayBuffer(4) }
}

/** Whether the thread that was given `data` marked itself committed. */
export function isCommitted(data: ThreadData): boolean {
  return Atomics.load(new Int32Array(data.committed), 0) === 1
}

/**
 * Tells the launcher that the run is about to change something (deactivate a key, write the
 * summary, create or update the issue), so that if it dies from now on it is not run again.
 * Outside the audit thread (tests, tools) it does nothing.
 */
export function markCommitted(): void {
  if (isMainThread) return
  const data = workerData as Partial<ThreadData> | null
  if (data?.committed instanceof SharedArrayBuffer)
    Atomics.store(new Int32Array(data.committed), 0, 1)
}
