/**
 * End-to-end at scale: the bundle against a throttling emulator, and against several accounts.
 * Small enough to be fast; the large figures come from `npm run bench`.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { generateAccount, type Scenario } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { runAction } from '../scripts/run-action.js'

const HUB = '111111111111'
const ROLE = `arn:aws:iam::${HUB}:role/iam-access-key-gate`

interface ReportShape {
  complete: boolean
  keys: Array<{ accessKeyId: string | null; verdict: string }>
  stats: { calls: number; throttled: number; failed: number }
}

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

const keyCount = (users: Scenario['accounts'][number]['users']): number =>
  users.reduce((n, u) => n + (u.keys?.length ?? 0), 0)

describe('the bundle against a throttling account', () => {
  it('judges every key with no failed call although IAM throttled it', async () => {
    const account = generateAccount({
      id: HUB,
      users: 150,
      seed: 3,
      throttle: { rate: 100, burst: 10 }
    })
    emulator = await startEmulator({ accounts: [account] })
    const run = await runAction({
      env: emulator.env(),
      inputs: { 'role-to-assume': ROLE, 'fail-on-violation': 'false', 'reveal-key-ids': 'true' }
    })
    const report = run.report as ReportShape
    const keys = keyCount(account.users)
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ errors: '0', 'keys-scanned': String(keys) })
    expect(report.complete).toBe(true)
    expect(report.keys.filter(k => k.accessKeyId !== null && k.verdict !== 'error')).toHaveLength(
      keys
    )
    expect(report.stats.failed).toBe(0)
    const iam = emulator.requests.filter(r => r.service === 'iam')
    const throttled = iam.filter(r => r.throttled)
    expect(throttled.length).toBeGreaterThan(0)
    expect(throttled.every(r => r.status === 400 && r.errorCode === 'Throttling')).toBe(true)
    expect(report.stats.throttled).toBe(throttled.length)
    const answered = iam.filter(r => r.status === 200 && r.action === 'GetAccessKeyLastUsed')
    expect(new Set(answered.map(r => r.params.AccessKeyId)).size).toBe(keys)
  })
})
