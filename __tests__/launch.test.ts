/**
 * The launcher: the audit runs in a worker thread with a bounded heap; a run that outgrows it
 * is started again only when it had changed nothing, and a thread that dies is reported as a
 * failed audit, never a clean one.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ResourceLimits } from 'node:worker_threads'
import {
  AUDIT_HEAP_LIMITS,
  heapLimits,
  isOutOfMemory,
  launch,
  runThread,
  type ThreadEnd
} from '../src/launch.js'
import { reportCrash } from '../src/main.js'
import { markCommitted } from '../src/thread.js'

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url)

const oom = (): Error => Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' })

/** A launch whose threads end as `ends` says, one per start, recording what it was asked. */
async function launchWith(
  ends: ThreadEnd[],
  limits: ResourceLimits | undefined
): Promise<{
  code: number
  starts: Array<ResourceLimits | undefined>
  warnings: string[]
  crashes: string[]
}> {
  const starts: Array<ResourceLimits | undefined> = []
  const warnings: string[] = []
  const crashes: string[] = []
  const code = await launch(
    {
      runThread: async l => {
        starts.push(l)
        const end = ends.shift()
        if (!end) throw new Error('started more threads than the test expected')
        return end
      },
      warning: async m => void warnings.push(m),
      crashed: async m => void crashes.push(m)
    },
    limits
  )
  return { code, starts, warnings, crashes }
}

describe('launch', () => {
  it('passes on the exit code of a thread that ended by itself, started once with the limits', async () => {
    const r = await launchWith([{ code: 1, error: null, committed: true }], AUDIT_HEAP_LIMITS)
    expect(r).toEqual({ code: 1, starts: [AUDIT_HEAP_LIMITS], warnings: [], crashes: [] })
  })

  it('starts a run that outgrew its heap once more, with Node’s limits, when it had changed nothing', async () => {
    const r = await launchWith(
      [
        { code: 1, error: oom(), committed: false },
        { code: 0, error: null, committed: true }
      ],
      AUDIT_HEAP_LIMITS
    )
    expect(r.code).toBe(0)
    expect(r.starts).toEqual([AUDIT_HEAP_LIMITS, undefined])
    expect(r.warnings).toEqual([expect.stringContaining('more than the 512 MB heap')])
    expect(r.crashes).toEqual([])
  })

  it('does not run twice a run that had begun to change things; it fails the step instead', async () => {
    const r = await launchWith([{ code: 1, error: oom(), committed: true }], AUDIT_HEAP_LIMITS)
    expect(r.code).toBe(1)
    expect(r.starts).toHaveLength(1)
    expect(r.crashes).toEqual([
      expect.stringMatching(/ran out of memory\. It stopped after .* so it was not run again/)
    ])
  })

  it('fails the step when the second run runs out of memory too', async () => {
    const r = await launchWith(
      [
        { code: 1, error: oom(), committed: false },
        { code: 1, error: oom(), committed: false }
      ],
      AUDIT_HEAP_LIMITS
    )
    expect(r.code).toBe(1)
    expect(r.starts).toHaveLength(2)
    expect(r.crashes).toEqual(['The audit did not finish because it ran out of memory.'])
  })

  it('does not retry a run that already had no limit (IAM_ACCESS_KEY_GATE_HEAP_MB=0)', async () => {
    const r = await launchWith([{ code: 1, error: oom(), committed: false }], undefined)
    expect(r.code).toBe(1)
    expect(r.starts).toEqual([undefined])
    expect(r.warnings).toEqual([])
    expect(r.crashes).toEqual(['The audit did not finish because it ran out of memory.'])
  })

  it('reports any other death of the thread as an unfinished audit, without a retry', async () => {
    const r = await launchWith(
      [{ code: 1, error: new Error('boom'), committed: false }],
      AUDIT_HEAP_LIMITS
    )
    expect(r.code).toBe(1)
    expect(r.starts).toHaveLength(1)
    expect(r.warnings).toEqual([])
    expect(r.crashes).toEqual(['The audit did not finish because of an unexpected error: boom.'])
  })
})

describe('launch, the crash message', () => {
  it('shortens an access key id in an unexpected error, as every log line does', async () => {
    const r = await launchWith(
      [{ code: 1, error: new Error('no AKIAIOSFODNN7EXAMPLE here'), committed: false }],
      AUDIT_HEAP_LIMITS
    )
    expect(r.crashes).toEqual([
      'The audit did not finish because of an unexpected error: no AKIA…MPLE here.'
    ])
  })
})

describe('heapLimits', () => {
  it('uses the audit limits unless told otherwise', () => {
    expect(heapLimits(undefined)).toEqual({ limits: AUDIT_HEAP_LIMITS, warning: null })
    expect(heapLimits('  ')).toEqual({ limits: AUDIT_HEAP_LIMITS, warning: null })
  })

  it('takes a number of megabytes for the old generation, and 0 for Node’s defaults', () => {
    expect(heapLimits('2048').limits).toEqual({
      ...AUDIT_HEAP_LIMITS,
      maxOldGenerationSizeMb: 2048
    })
    expect(heapLimits('0')).toEqual({ limits: undefined, warning: null })
  })

  it.each(['8', '65537', '1.5', 'lots', '-1'])(
    'warns about %j, names the variable and what it accepts, and keeps the default',
    value => {
      const r = heapLimits(value)
      expect(r.limits).toBe(AUDIT_HEAP_LIMITS)
      expect(r.warning).toBe(
        `IAM_ACCESS_KEY_GATE_HEAP_MB is '${value}': it must be a whole number of megabytes from 16 to 65536, or 0 for Node's default heap limit. Using 512 MB.`
      )
    }
  )
})

describe('runThread (real worker threads)', () => {
  it('gives the exit code a thread set for itself', async () => {
    const end = await runThread(fixture('thread-exit-code.mjs'), AUDIT_HEAP_LIMITS)
    expect(end).toEqual({ code: 3, error: null, committed: false })
  })

  it('sees the commit mark of a thread that then died', async () => {
    const end = await runThread(fixture('thread-commit-then-throw.mjs'), AUDIT_HEAP_LIMITS)
    expect(end.committed).toBe(true)
    expect(end.error?.message).toBe('boom after commit')
    expect(end.code).toBe(1)
    expect(isOutOfMemory(end.error)).toBe(false)
  })

  it('tells a thread that hit its heap limit from other deaths', async () => {
    const end = await runThread(fixture('thread-hog.mjs'), {
      maxOldGenerationSizeMb: 16,
      maxYoungGenerationSizeMb: 2
    })
    expect(isOutOfMemory(end.error)).toBe(true)
    expect(end.committed).toBe(false)
    expect(end.code).not.toBe(0)
  })

  it('marks nothing outside a worker thread', () => {
    expect(() => markCommitted()).not.toThrow()
  })
})

describe('reportCrash (what the launcher does when the thread died)', () => {
  it('writes a summary that says the audit did not finish, sets compliant=false and fails the step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-gate-crash-'))
    const files = { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'out') }
    for (const f of Object.values(files)) writeFileSync(f, '')
    const saved = { ...process.env }
    const written: string[] = []
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0)
    Object.assign(process.env, files)
    try {
      await reportCrash('The audit did not finish because it ran out of memory.')
      expect(process.exitCode).toBe(1)
    } finally {
      write.mockRestore()
      process.env = saved
      process.exitCode = undefined
    }
    expect(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toBe(
      '## ❌ IAM access keys: the audit did not finish\n\n<pre>The audit did not finish because it ran out of memory.</pre>\n'
    )
    expect(readFileSync(files.GITHUB_OUTPUT, 'utf8')).toMatch(/^compliant<<(\S+)\nfalse\n\1\n$/)
    expect(written.join('')).toContain(
      '::error::The audit did not finish because it ran out of memory.'
    )
  })
})
