import { isMainThread } from 'node:worker_threads'
import { startAudit } from './launch.js'
import { FINISHED, reachStage } from './thread.js'

// The bundle is both the step's entry point and the audit thread (see launch.ts): the main
// thread starts the audit in a worker with a bounded heap; the worker calls `run()`.
if (isMainThread) await startAudit(new URL(import.meta.url))
else {
  await (await import('./main.js')).run()
  reachStage(FINISHED)
}
