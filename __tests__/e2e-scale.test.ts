/**
 * End-to-end at scale: the bundle against a throttling emulator, and against several accounts.
 * Small enough to be fast; the large figures come from `npm run bench`.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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

describe('the bundle over several accounts', () => {
  const small = (id: string, seed: number): Scenario['accounts'][number] =>
    generateAccount({ id, users: 12, seed, violationShare: 0 })

  it('audits the accounts whose role it can assume, fails closed on the one it cannot', async () => {
    const denied = '333333333333'
    emulator = await startEmulator({
      accounts: [
        small(HUB, 1),
        small('222222222222', 2),
        { ...small(denied, 3), assumeRoleDenied: true }
      ]
    })
    const run = await runAction({
      env: emulator.env(),
      inputs: {
        'role-to-assume': ROLE,
        accounts: `${HUB}\n222222222222, ${denied}`,
        'report-path': 'out/audit.json'
      }
    })
    expect(run.code).toBe(1)
    // A relative report-path is relative to the workspace, as on a runner.
    const combined = JSON.parse(readFileSync(join(run.workDir, 'out/audit.json'), 'utf8')) as {
      complete: boolean
      accounts: Array<{ account: string; complete: boolean }>
      failedAccounts: Array<{ account: string; error: string }>
    }
    expect(run.reportPath).toBe('out/audit.json')
    expect(combined.complete).toBe(false)
    expect(combined.accounts.map(a => [a.account, a.complete])).toEqual([
      [HUB, true],
      ['222222222222', true]
    ])
    expect(combined.failedAccounts).toEqual([
      {
        account: denied,
        error: expect.stringMatching(
          /^Could not assume arn:aws:iam::333333333333:role\/IamAccessKeyGate \(input account-role-name\): AccessDenied: /
        )
      }
    ])
    const lines = run.summary.split('\n')
    expect(lines[0]).toBe(
      '## ❌ IAM access keys: Audit incomplete, no violation among what was read — 3 accounts, 1 could not be audited'
    )
    expect(lines.filter(l => l.startsWith(`| [${HUB}](#account-${HUB}) | ✅ `))).toHaveLength(1)
    expect(
      lines.filter(l => l.startsWith('| [222222222222](#account-222222222222) | ✅ '))
    ).toHaveLength(1)
    expect(
      lines.filter(l => l.startsWith(`| ${denied} | ❌ error: Could not assume`))
    ).toHaveLength(1)
    expect(run.summary).toContain(`<a id="account-${HUB}"></a>`)
    expect(run.summary).toContain(`— account ${HUB}`)
    expect(run.summary).toContain('— account 222222222222')
    expect(run.stdout).toContain(
      `::error::Account ${denied} could not be audited: Could not assume`
    )
    expect(run.outputs).toMatchObject({ compliant: 'false', errors: '1', 'users-scanned': '24' })
    const assumed = emulator.requests.filter(r => r.action === 'AssumeRole')
    expect(assumed.map(r => r.account).sort()).toEqual([HUB, '222222222222', denied])
    const iamAccounts = new Set(
      emulator.requests.filter(r => r.service === 'iam').map(r => r.account)
    )
    expect([...iamAccounts].sort()).toEqual([HUB, '222222222222'])
    for (const id of [HUB, '222222222222'])
      expect(existsSync(join(run.workDir, `out/audit-${id}.json`))).toBe(true)
  })

  it('keeps one tracking issue per account: created for the account that breaks policy only', async () => {
    emulator = await startEmulator({
      accounts: [
        small(HUB, 1),
        generateAccount({ id: '222222222222', users: 12, seed: 2, violationShare: 0.5 })
      ]
    })
    const run = await runAction({
      env: { ...emulator.env(), IAM_ACCESS_KEY_GATE_FAST_RETRIES: 'true' },
      inputs: {
        'role-to-assume': ROLE,
        accounts: `${HUB},222222222222`,
        'create-issue': 'true',
        'github-token': 'ghs_emulated'
      }
    })
    expect(run.code).toBe(1)
    const issues = emulator.state.github.issues
    expect(issues.map(i => [i.state, i.labels])).toEqual([
      ['open', ['iam-access-keys', 'security']]
    ])
    expect(issues[0].body).toContain('<!-- iam-access-key-gate:account=222222222222 -->')
    expect(run.outputs['issue-number']).toBe(String(issues[0].number))
    const section = run.summary.slice(run.summary.indexOf('<a id="account-222222222222"></a>'))
    expect(section).toContain(`**Tracking issue:** created [#${issues[0].number}]`)
  })

  it('lists the ACTIVE accounts of the OUs asked for with Organizations', async () => {
    emulator = await startEmulator({
      accounts: [
        small(HUB, 1),
        small('222222222222', 2),
        small('444444444444', 4),
        small('555555555555', 5)
      ],
      organization: {
        ous: [
          { id: 'ou-a1b2-prod0001', name: 'prod' },
          { id: 'ou-a1b2-prodeu01', name: 'prod-eu', parentId: 'ou-a1b2-prod0001' }
        ],
        placement: {
          '222222222222': 'ou-a1b2-prod0001',
          '444444444444': 'ou-a1b2-prodeu01',
          '555555555555': 'ou-a1b2-prodeu01'
        },
        suspended: ['555555555555']
      }
    })
    const run = await runAction({
      env: emulator.env(),
      inputs: {
        'role-to-assume': ROLE,
        organization: 'true',
        'organization-ous': 'ou-a1b2-prod0001'
      }
    })
    expect(run.code).toBe(0)
    const combined = run.report as {
      accounts: Array<{ account: string }>
    }
    expect(combined.accounts.map(a => a.account)).toEqual(['222222222222', '444444444444'])
    expect(run.stdout).toContain('2 active accounts: 222222222222, 444444444444')
    const org = emulator.requests.filter(r => r.service === 'organizations').map(r => r.action)
    expect(org).toContain('ListAccountsForParent')
    expect(org).toContain('ListChildren')
  })

  it('audits every ACTIVE account of the organization, and fails when it cannot list them', async () => {
    emulator = await startEmulator({
      accounts: [small(HUB, 1), small('222222222222', 2), small('555555555555', 5)],
      organization: { suspended: ['555555555555'] }
    })
    const run = await runAction({
      env: emulator.env(),
      inputs: { 'role-to-assume': ROLE, organization: 'true' }
    })
    expect(run.code).toBe(0)
    expect(
      (run.report as { accounts: Array<{ account: string }> }).accounts.map(a => a.account)
    ).toEqual([HUB, '222222222222'])
    expect(emulator.requests.filter(r => r.service === 'organizations').map(r => r.action)).toEqual(
      ['ListAccounts']
    )

    await emulator.close()
    emulator = await startEmulator({
      accounts: [small(HUB, 1)],
      organization: { deniedAccounts: [HUB] }
    })
    const denied = await runAction({
      env: emulator.env(),
      inputs: { 'role-to-assume': ROLE, organization: 'true' }
    })
    expect(denied.code).toBe(1)
    expect(denied.stdout).toContain(
      "::error::Could not list the organization's accounts (input organization): AccessDeniedException: "
    )
    expect(denied.outputs.compliant).toBe('false')
  })
})

describe('the bundle’s heap limit', () => {
  it('runs again, with Node’s limit, an audit that outgrew its heap before it changed anything', async () => {
    const account = generateAccount({ id: HUB, users: 1500, seed: 5, violationShare: 0.1 })
    emulator = await startEmulator({ accounts: [account] })
    const run = await runAction({
      // 16 MB holds the loaded SDK and a couple of hundred users, not 1,500 (it dies from about 1,000).
      env: { ...emulator.env(), IAM_ACCESS_KEY_GATE_HEAP_MB: '16' },
      inputs: { 'role-to-assume': ROLE, 'fail-on-violation': 'true' }
    })
    expect(run.stdout).toContain(
      '::warning::The audit needed more than the 16 MB heap it runs with; starting it again with Node’s default heap limit (nothing had been changed yet).'
    )
    // The second run did the whole audit, once: one summary, every key, the verdict's exit code.
    expect(run.code).toBe(1)
    expect(run.summary.match(/^## /gm)).toHaveLength(1)
    expect(run.outputs).toMatchObject({
      'keys-scanned': String(keyCount(account.users)),
      'users-scanned': '1500',
      errors: '0'
    })
    expect(Number(run.outputs.violations)).toBeGreaterThan(0)
    const listed = emulator.requests.filter(r => r.action === 'ListAccessKeys')
    expect(listed.length).toBeGreaterThan(1500)
    expect(new Set(listed.map(r => r.params.UserName)).size).toBe(1500)
  })

  it('leaves the heap to NODE_OPTIONS when it sets --max-old-space-size, and says the variable is ignored', async () => {
    const account = generateAccount({ id: HUB, users: 1500, seed: 5, violationShare: 0.1 })
    emulator = await startEmulator({ accounts: [account] })
    const run = await runAction({
      // 16 MB would run out of memory (see above); the process-wide flag wins, as V8 has it.
      env: {
        ...emulator.env(),
        IAM_ACCESS_KEY_GATE_HEAP_MB: '16',
        NODE_OPTIONS: '--max-old-space-size=1024'
      },
      inputs: { 'role-to-assume': ROLE, 'fail-on-violation': 'true' }
    })
    expect(run.stdout).toContain(
      "::warning::IAM_ACCESS_KEY_GATE_HEAP_MB is ignored: --max-old-space-size=1024 (from NODE_OPTIONS or Node's arguments) sets the heap of every thread of the process."
    )
    expect(run.stdout).not.toContain('starting it again')
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ 'users-scanned': '1500', errors: '0' })
  })

  it('warns about a heap setting it cannot use, names what it accepts, and audits as usual', async () => {
    emulator = await startEmulator({
      accounts: [generateAccount({ id: HUB, users: 5, seed: 6, violationShare: 0 })]
    })
    const run = await runAction({
      env: { ...emulator.env(), IAM_ACCESS_KEY_GATE_HEAP_MB: 'lots' },
      inputs: { 'role-to-assume': ROLE }
    })
    expect(run.stdout).toContain(
      "::warning::IAM_ACCESS_KEY_GATE_HEAP_MB is 'lots': it must be a whole number of megabytes from 16 to 65536, or 0 for Node's default heap limit. Using 512 MB."
    )
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ compliant: 'true', 'users-scanned': '5' })
  })
})
