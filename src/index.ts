import { isMainThread } from 'node:worker_threads'
import { heapLimits, launch, runThread } from './launch.js'

// The same file is the step's entry point and the audit thread's: the main thread only
// starts the audit in a worker with a bounded heap (see launch.ts) and passes on its exit
// code. `main.js` is a chunk of its own, loaded by the main thread only to report a crash.
if (isMainThread) {
  const heap = heapLimits(process.env.IAM_ACCESS_KEY_GATE_HEAP_MB)
  if (heap.warning !== null) (await import('@actions/core')).warning(heap.warning)
  process.exitCode = await launch(
    {
      runThread: limits => runThread(new URL(import.meta.url), limits),
      warning: async message => {
        const { endGroup, warning } = await import('@actions/core')
        endGroup() // the thread that ran out of memory may have left a log group open
        warning(message)
      },
      crashed: async message => (await import('./main.js')).reportCrash(message)
    },
    heap.limits
  )
} else {
  await (await import('./main.js')).run()
}
