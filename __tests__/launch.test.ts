/**
 * The launcher: the audit runs in a worker thread with a bounded heap; a run that outgrows it
 * is started again only when it had changed nothing, and a thread that ends without finishing
 * is reported as a failed audit, never a clean one.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ResourceLimits } from 'node:worker_threads'
import ts from 'typescript'
import {
  AUDIT_HEAP_LIMITS,
  heapFlagOf,
  heapLimits,
  isOutOfMemory,
  launch,
  runThread,
  type HeapChoice,
  type ThreadEnd
} from '../src/launch.js'
import { reportCrash } from '../src/main.js'
import { COMMITTED, FINISHED, markCommitted, STARTED, SUMMARY_WRITTEN } from '../src/thread.js'

const DEFAULT: HeapChoice = { limits: AUDIT_HEAP_LIMITS, retry: true }

const oom = (): Error => Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' })

const finished = (code: number): ThreadEnd => ({ code, error: null, stage: FINISHED })

/** A launch whose threads end as `ends` says, one per start, recording what it was asked. */
async function launchWith(
  ends: ThreadEnd[],
  heap: HeapChoice = DEFAULT
): Promise<{
  code: number
  starts: Array<ResourceLimits | undefined>
  warnings: string[]
  crashes: Array<[string, boolean]>
}> {
  const starts: Array<ResourceLimits | undefined> = []
  const warnings: string[] = []
  const crashes: Array<[string, boolean]> = []
  const code = await launch(
    {
      runThread: async limits => {
        starts.push(limits)
        const end = ends.shift()
        if (!end) throw new Error('started more threads than the test expected')
        return end
      },
      warning: async m => void warnings.push(m),
      crashed: async (m, summaryWritten) => void crashes.push([m, summaryWritten])
    },
    heap
  )
  return { code, starts, warnings, crashes }
}

describe('launch', () => {
  it('passes on the exit code of a thread that finished, started once with the limits', async () => {
    expect(await launchWith([finished(1)])).toEqual({
      code: 1,
      starts: [AUDIT_HEAP_LIMITS],
      warnings: [],
      crashes: []
    })
    expect((await launchWith([finished(0)])).code).toBe(0)
  })

  it('starts a run that outgrew its heap once more, with Node’s limits, when it had changed nothing', async () => {
    const r = await launchWith([{ code: 1, error: oom(), stage: STARTED }, finished(0)])
    expect(r.code).toBe(0)
    expect(r.starts).toEqual([AUDIT_HEAP_LIMITS, undefined])
    expect(r.warnings).toEqual([expect.stringContaining('more than the 512 MB heap')])
    expect(r.crashes).toEqual([])
  })

  it('does not run twice a run that had begun to change things; it fails the step instead', async () => {
    const r = await launchWith([{ code: 1, error: oom(), stage: COMMITTED }])
    expect(r.code).toBe(1)
    expect(r.starts).toHaveLength(1)
    expect(r.crashes).toEqual([
      [
        expect.stringMatching(/ran out of memory\. It stopped after .* so it was not run again/),
        false
      ]
    ])
    // What it did may not all be in the log: the message names where else to look.
    expect(r.crashes[0]?.[0]).toContain(
      'Its last log lines may be missing (a thread that dies cannot always hand them over): check the tracking issue, and for deactivated keys IAM itself or CloudTrail’s UpdateAccessKey events.'
    )
  })

  it('tells the crash report when the summary was already written', async () => {
    const r = await launchWith([{ code: 1, error: oom(), stage: SUMMARY_WRITTEN }])
    expect(r.crashes).toEqual([[expect.stringContaining('ran out of memory'), true]])
  })

  it('fails the step when the second run runs out of memory too', async () => {
    const r = await launchWith([
      { code: 1, error: oom(), stage: STARTED },
      { code: 1, error: oom(), stage: STARTED }
    ])
    expect(r.code).toBe(1)
    expect(r.starts).toHaveLength(2)
    expect(r.crashes).toEqual([['The audit did not finish because it ran out of memory.', false]])
  })

  it('runs once only when a second run would have no more room (heapLimits said no retry)', async () => {
    const chosen = { limits: { ...AUDIT_HEAP_LIMITS, maxOldGenerationSizeMb: 8192 }, retry: false }
    const r = await launchWith([{ code: 1, error: oom(), stage: STARTED }], chosen)
    expect(r.starts).toEqual([chosen.limits])
    expect(r.warnings).toEqual([])
    expect(r.crashes).toEqual([['The audit did not finish because it ran out of memory.', false]])
    const unlimited = await launchWith([{ code: 1, error: oom(), stage: STARTED }], {
      limits: undefined,
      retry: true
    })
    expect(unlimited.starts).toEqual([undefined])
    expect(unlimited.code).toBe(1)
  })

  it('reports any other death of the thread as an unfinished audit, without a retry', async () => {
    const r = await launchWith([{ code: 1, error: new Error('boom'), stage: STARTED }])
    expect(r.code).toBe(1)
    expect(r.starts).toHaveLength(1)
    expect(r.warnings).toEqual([])
    expect(r.crashes).toEqual([
      ['The audit did not finish because of an unexpected error: boom.', false]
    ])
  })

  it('reports a thread that ended with no error but did not finish (a promise that never settled)', async () => {
    const r = await launchWith([{ code: 13, error: null, stage: COMMITTED }])
    expect(r.code).toBe(1)
    expect(r.crashes).toEqual([
      [
        expect.stringMatching(
          /^The audit did not finish because its thread stopped with exit code 13 before the end\. It stopped after/
        ),
        false
      ]
    ])
  })

  it('reports an error that came after the thread finished', async () => {
    const r = await launchWith([{ code: 1, error: new Error('late'), stage: FINISHED }])
    expect(r.code).toBe(1)
    expect(r.crashes).toEqual([[expect.stringContaining('unexpected error: late'), true]])
  })

  it('shortens an access key id in an unexpected error, as every log line does', async () => {
    const r = await launchWith([
      { code: 1, error: new Error('no AKIAIOSFODNN7EXAMPLE here'), stage: STARTED }
    ])
    expect(r.crashes[0][0]).toBe(
      'The audit did not finish because of an unexpected error: no AKIA…MPLE here.'
    )
  })
})

describe('heapFlagOf', () => {
  it.each<[string[], string | undefined, number | null]>([
    [[], undefined, null],
    [[], '', null],
    [[], '--enable-source-maps --max-old-space-size=4096', 4096],
    [[], '--max_old_space_size=300', 300],
    [['--max-old-space-size', '2048'], undefined, 2048],
    // The last flag counts, NODE_OPTIONS after the command line's.
    [['--max-old-space-size=2048'], '--max-old-space-size=1024', 1024],
    [[], '--max-semi-space-size=16', null],
    [[], '--max-old-space-size=lots', null]
  ])('reads %j with NODE_OPTIONS %j as %j', (execArgv, nodeOptions, mb) =>
    expect(heapFlagOf(execArgv, nodeOptions)).toBe(mb)
  )
})

describe('heapLimits', () => {
  const NODE_MB = 4096

  it('uses the audit limits, with a second chance, unless told otherwise', () => {
    for (const value of [undefined, '  '])
      expect(heapLimits(value, NODE_MB)).toEqual({
        limits: AUDIT_HEAP_LIMITS,
        retry: true,
        warning: null
      })
  })

  it('takes a number of megabytes for the old generation, and 0 for Node’s defaults', () => {
    expect(heapLimits('2048', NODE_MB)).toEqual({
      limits: { ...AUDIT_HEAP_LIMITS, maxOldGenerationSizeMb: 2048 },
      retry: true,
      warning: null
    })
    expect(heapLimits('0', NODE_MB)).toEqual({ limits: undefined, retry: false, warning: null })
  })

  it('gives no second run where Node’s default heap is not clearly larger than the limit', () => {
    expect(heapLimits('8192', NODE_MB).retry).toBe(false)
    expect(heapLimits('4096', NODE_MB).retry).toBe(false)
    // Node's figure counts the young generation too: 3,500 MB of old generation is about
    // what a thread with Node's limits gets here, so a second run would have no more room.
    expect(heapLimits('3500', NODE_MB).retry).toBe(false)
    expect(heapLimits('3276', NODE_MB).retry).toBe(true)
    // On a small runner even the audit's own 512 MB may be no less than Node's default.
    expect(heapLimits(undefined, 512)).toEqual({
      limits: AUDIT_HEAP_LIMITS,
      retry: false,
      warning: null
    })
  })

  it('leaves the heap to a --max-old-space-size the process was given, and says when that overrides the variable', () => {
    expect(heapLimits(undefined, NODE_MB, 8192)).toEqual({
      limits: undefined,
      retry: false,
      warning: null
    })
    expect(heapLimits('0', NODE_MB, 8192).warning).toBeNull()
    expect(heapLimits('256', NODE_MB, 8192)).toEqual({
      limits: undefined,
      retry: false,
      warning:
        "IAM_ACCESS_KEY_GATE_HEAP_MB is ignored: --max-old-space-size=8192 (from NODE_OPTIONS or Node's arguments) sets the heap of every thread of the process. Remove it from NODE_OPTIONS to use IAM_ACCESS_KEY_GATE_HEAP_MB."
    })
  })

  it.each(['8', '65537', '1.5', 'lots', '-1'])(
    'warns about %j, names the variable and what it accepts, and keeps the default',
    value => {
      const r = heapLimits(value, NODE_MB)
      expect(r.limits).toBe(AUDIT_HEAP_LIMITS)
      expect(r.retry).toBe(true)
      expect(r.warning).toBe(
        `IAM_ACCESS_KEY_GATE_HEAP_MB is '${value}': it must be a whole number of megabytes from 16 to 65536, or 0 for Node's default heap limit. Using 512 MB.`
      )
    }
  )
})

/**
 * A worker script in a fresh folder beside src/thread.ts compiled to JavaScript, so the
 * thread really runs our `reachStage` whatever Node runs the tests.
 */
function workerScript(body: string): URL {
  const dir = mkdtempSync(join(tmpdir(), 'iam-gate-thread-'))
  const source = readFileSync(new URL('../src/thread.ts', import.meta.url), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }
  })
  writeFileSync(join(dir, 'thread.mjs'), outputText)
  writeFileSync(join(dir, 'worker.mjs'), `import * as thread from './thread.mjs'\n${body}\n`)
  return pathToFileURL(join(dir, 'worker.mjs'))
}

describe('runThread (real worker threads)', () => {
  it('gives the exit code a thread set for itself, and the stage it reached', async () => {
    const end = await runThread(
      workerScript('process.exitCode = 3\nthread.reachStage(thread.FINISHED)'),
      AUDIT_HEAP_LIMITS
    )
    expect(end).toEqual({ code: 3, error: null, stage: FINISHED })
  })

  it('sees the commit mark of a thread that then died, and never lets the stage go back', async () => {
    const end = await runThread(
      workerScript(
        "thread.markCommitted()\nthread.reachStage(thread.STARTED)\nthrow new Error('boom after commit')"
      ),
      AUDIT_HEAP_LIMITS
    )
    expect(end.stage).toBe(COMMITTED)
    expect(end.error?.message).toBe('boom after commit')
    expect(end.code).toBe(1)
    expect(isOutOfMemory(end.error)).toBe(false)
  })

  it('makes an error of anything a thread throws, null included', async () => {
    const end = await runThread(workerScript('throw null'), AUDIT_HEAP_LIMITS)
    expect(end.error?.message).toBe('the thread threw null')
    expect(end.code).toBe(1)
    expect(end.stage).toBe(STARTED)
  })

  it('tells a thread that hit its heap limit from other deaths', async () => {
    const end = await runThread(
      workerScript('const kept = []\nfor (;;) kept.push(new Array(1024).fill({ n: kept.length }))'),
      { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 }
    )
    expect(isOutOfMemory(end.error)).toBe(true)
    expect(end.stage).toBe(STARTED)
    expect(end.code).not.toBe(0)
  })

  it('marks nothing outside a worker thread', () => {
    expect(() => markCommitted()).not.toThrow()
  })
})

describe('reportCrash (what the launcher does when the thread did not finish)', () => {
  // @actions/core keeps the summary file's path once it has read it: one pair of files for all.
  const dir = mkdtempSync(join(tmpdir(), 'iam-gate-crash-'))
  const files = { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'out') }

  async function crash(
    summaryWritten: boolean
  ): Promise<{ summary: string; outputs: string; stdout: string; exitCode: unknown }> {
    for (const f of Object.values(files)) writeFileSync(f, '')
    const saved = { ...process.env }
    const written: string[] = []
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0)
    Object.assign(process.env, files)
    let exitCode: unknown
    try {
      await reportCrash('The audit did not finish because it ran out of memory.', summaryWritten)
      exitCode = process.exitCode
    } finally {
      write.mockRestore()
      process.env = saved
      process.exitCode = undefined
    }
    return {
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      outputs: readFileSync(files.GITHUB_OUTPUT, 'utf8'),
      stdout: written.join(''),
      exitCode
    }
  }

  it('writes a summary that says the audit did not finish, sets compliant=false and fails the step', async () => {
    const r = await crash(false)
    expect(r.exitCode).toBe(1)
    expect(r.summary).toBe(
      '## ❌ IAM access keys: the audit did not finish\n\n<pre>The audit did not finish because it ran out of memory.</pre>\n'
    )
    expect(r.outputs).toMatch(/^compliant<<(\S+)\nfalse\n\1\n$/)
    expect(r.stdout).toContain('::error::The audit did not finish because it ran out of memory.')
  })

  it('adds a line below a summary already written instead of a second heading', async () => {
    const r = await crash(true)
    expect(r.exitCode).toBe(1)
    expect(r.summary).toBe(
      '\n---\n\n❌ **The step stopped after this summary was written:** The audit did not finish because it ran out of memory.\n'
    )
    expect(r.outputs).toMatch(/^compliant<<(\S+)\nfalse\n\1\n$/)
  })
})
