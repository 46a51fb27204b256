/**
 * End-to-end tests of the policy features (issue 4): the committed bundle, started as the
 * runner starts it, against the emulator. Each test reads what a user reads — exit code,
 * summary, outputs, report — and what the emulator was asked or now holds.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { runAction, type ActionRun } from '../scripts/run-action.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-access-key-gate`
const DAY_MS = 86_400_000

interface ReportKey {
  user: string
  accessKeyId: string | null
  status: string | null
  verdict: string
  reasons: string[]
  exemption: {
    reason: string
    until: string
    source: string
    entry: number | null
    expired: boolean
    daysLeft: number
  } | null
  action: string | null
  limits: { maxAgeDays: number; maxIdleDays: number } | null
}
interface ReportShape {
  complete: boolean
  totals: Record<string, number>
  keys: ReportKey[]
  errors: Array<{ user: string | null; operation: string; message: string }>
  exemptions: Array<Record<string, unknown>>
  notes: string[]
}

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(account: Partial<ScenarioAccount> & Pick<ScenarioAccount, 'users'>) {
  emulator = await startEmulator({ accounts: [{ id: ACCOUNT, alias: 'acme-prod', ...account }] })
  return emulator
}

async function audit(
  emu: Emulator,
  inputs: Record<string, string> = {}
): Promise<ActionRun & { r: ReportShape }> {
  const run = await runAction({ env: emu.env(), inputs: { 'role-to-assume': ROLE, ...inputs } })
  return { ...run, r: run.report as ReportShape }
}

/** `YYYY-MM-DD`, `days` from today (UTC). */
const day = (days: number): string =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10)
const keyOf = (r: ReportShape, user: string): ReportKey | undefined =>
  r.keys.find(k => k.user === user)
const iamCalls = (emu: Emulator, action: string) =>
  emu.requests.filter(q => q.service === 'iam' && q.action === action)

const vendor: ScenarioAccount['users'] = [
  { name: 'ci-deployer', keys: [{ ageDays: 30, lastUsedDaysAgo: 1 }] },
  {
    name: 'legacy-vendor',
    path: '/vendor/',
    keys: [{ id: 'AKIALEGACYVENDOR0001', ageDays: 200, lastUsedDaysAgo: 2 }]
  }
]

describe('exemptions', () => {
  it('a user exempted until next month is exempt, and the step passes', async () => {
    const emu = await start({
      users: [
        ...vendor,
        {
          name: 'soon-vendor',
          keys: [{ id: 'AKIASOONVENDOR000002', ageDays: 120, lastUsedDaysAgo: 1 }]
        }
      ]
    })
    const until = day(30)
    const soon = day(5)
    const run = await audit(emu, {
      exemptions: [
        '- user: legacy-vendor',
        `  until: ${until}`,
        '  reason: SEC-123 vendor rotates in March',
        '- access-key-id: AKIASOONVENDOR000002',
        `  until: ${soon}`,
        '  reason: SEC-200'
      ].join('\n')
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ compliant: 'true', violations: '0' })
    expect(run.r.totals).toMatchObject({ exempt: 2, violation: 0, ok: 1 })
    expect(keyOf(run.r, 'legacy-vendor')).toMatchObject({
      verdict: 'exempt',
      reasons: ['age'],
      exemption: {
        reason: 'SEC-123 vendor rotates in March',
        until,
        source: 'input',
        entry: 0,
        expired: false
      }
    })
    expect(run.summary.split('\n')[0]).toBe(
      `## ✅ IAM access keys: All 3 access keys within policy — account ${ACCOUNT} (acme-prod)`
    )
    expect(run.summary).toContain('### Exempt keys (2)')
    expect(run.summary).toContain(
      `| older than 90 days · exempt until ${until} (exemptions[0]): SEC-123 vendor rotates in March |`
    )
    // Runs out within 14 days: called out under the policy line, and on the key's row.
    const left = keyOf(run.r, 'soon-vendor')?.exemption?.daysLeft
    expect(left).toBeLessThan(14)
    expect(run.summary).toContain(
      `⏳ Exemption exemptions[1] (access-key-id AKIA…0002: SEC-200) runs out in ${left} days (until ${soon}).`
    )
    expect(run.summary).not.toContain('AKIASOONVENDOR000002')
    expect(run.r.exemptions).toEqual([
      expect.objectContaining({
        entry: 0,
        selector: 'user legacy-vendor',
        state: 'active',
        keys: 1
      }),
      expect.objectContaining({
        entry: 1,
        selector: 'access-key-id AKIA…0002',
        state: 'expiring',
        keys: 1
      })
    ])
  })

  it('the same exemption dated yesterday no longer applies: violation, and an "expired" note', async () => {
    const emu = await start({ users: vendor })
    const yesterday = day(-1)
    const run = await audit(emu, {
      exemptions: `- user: legacy-vendor\n  until: ${yesterday}\n  reason: SEC-123 vendor rotates in March`
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error::1 of 2 access keys breaks policy (1 older than 90 days)')
    expect(keyOf(run.r, 'legacy-vendor')).toMatchObject({
      verdict: 'violation',
      reasons: ['age'],
      exemption: { until: yesterday, expired: true }
    })
    expect(run.summary).toContain(
      `⌛ Exemption exemptions[0] (user legacy-vendor: SEC-123 vendor rotates in March) **expired** after ${yesterday} and no longer applies.`
    )
    expect(run.summary).toContain(
      `| older than 90 days · exemption expired ${yesterday} (exemptions[0]: SEC-123 vendor rotates in March) no longer applies |`
    )
    expect(run.r.exemptions).toEqual([expect.objectContaining({ entry: 0, state: 'expired' })])
  })

  it('a malformed entry fails the run before any AWS call, naming entry and field', async () => {
    const emu = await start({ users: vendor })
    const run = await audit(emu, {
      exemptions:
        '- user: a\n  until: 2027-01-01\n  reason: x\n- user: b\n  until: 2027-02-30\n  reason: y'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      "::error::exemptions[1].until: '2027-02-30' is not a date (YYYY-MM-DD, such as 2027-03-31)"
    )
    expect(emu.requests).toHaveLength(0)
  })

  it('root user keys are a violation that no exemption covers', async () => {
    const emu = await start({ users: vendor, rootAccessKeysPresent: true })
    const run = await audit(emu, {
      exemptions: `- user: '*'\n  until: ${day(30)}\n  reason: everything\n- path: /\n  until: ${day(30)}\n  reason: all paths`
    })
    expect(run.code).toBe(1)
    expect(run.outputs.violations).toBe('1')
    expect(keyOf(run.r, '<root_account>')).toMatchObject({
      verdict: 'violation',
      reasons: ['root-key'],
      exemption: null
    })
    expect(run.r.totals).toMatchObject({ exempt: 2, violation: 1 })
    expect(run.stdout).toContain('::error::The root user has access keys')
  })
})

describe('per-user settings from IAM user tags', () => {
  const tagged = (maxAge: string): ScenarioAccount['users'] => [
    { name: 'ci-deployer', keys: [{ ageDays: 40, lastUsedDaysAgo: 1 }] },
    {
      name: 'payments',
      tags: { 'iam-access-key-gate:max-age-days': maxAge, team: 'payments' },
      keys: [{ ageDays: 40, lastUsedDaysAgo: 1 }]
    },
    { name: 'nobody' }
  ]

  it('a tag tightening max-age to 30 days catches a 40-day key; one ListUserTags per user', async () => {
    const emu = await start({ users: tagged('30') })
    const run = await audit(emu, { 'user-tags': 'true' })
    expect(run.code).toBe(1)
    expect(keyOf(run.r, 'payments')).toMatchObject({
      verdict: 'violation',
      reasons: ['age'],
      limits: { maxAgeDays: 30, maxIdleDays: 45 }
    })
    expect(keyOf(run.r, 'ci-deployer')).toMatchObject({ verdict: 'ok', limits: null })
    expect(run.summary).toContain('| older than 30 days (user tag) |')
    expect(run.stdout).toContain(
      "::error::1 of 2 access keys breaks policy (1 older than 90 days or its user's tag limit)"
    )
    expect(
      iamCalls(emu, 'ListUserTags')
        .map(q => q.params.UserName)
        .sort()
    ).toEqual(['ci-deployer', 'nobody', 'payments'])
  })

  it('without user-tags no tag is read', async () => {
    const emu = await start({ users: tagged('30') })
    const run = await audit(emu)
    expect(run.code).toBe(0)
    expect(iamCalls(emu, 'ListUserTags')).toHaveLength(0)
  })

  it('a relaxing tag is ignored (and said so) unless allow-tag-relaxation', async () => {
    const users: ScenarioAccount['users'] = [
      {
        name: 'legacy',
        tags: { 'iam-access-key-gate:max-age-days': '200' },
        keys: [{ ageDays: 150, lastUsedDaysAgo: 1 }]
      }
    ]
    let emu = await start({ users })
    const strict = await audit(emu, { 'user-tags': 'true' })
    expect(strict.code).toBe(1)
    expect(keyOf(strict.r, 'legacy')).toMatchObject({
      verdict: 'violation',
      reasons: ['age'],
      limits: null
    })
    const note =
      "User 'legacy': tag iam-access-key-gate:max-age-days=200 is ignored: it relaxes the input's 90 days (allow-tag-relaxation is off)"
    expect(strict.r.notes).toEqual([note])
    expect(strict.summary).toContain(`ℹ️ ${note.replace(/'/g, '&#39;')}`)
    await emu.close()

    emu = await start({ users })
    const relaxed = await audit(emu, { 'user-tags': 'true', 'allow-tag-relaxation': 'true' })
    expect(relaxed.code).toBe(0)
    expect(keyOf(relaxed.r, 'legacy')).toMatchObject({ verdict: 'ok', limits: { maxAgeDays: 200 } })
  })

  it('a bad tag value is an error entry for that user, who is judged by the defaults', async () => {
    const emu = await start({
      users: [
        {
          name: 'typo',
          tags: { 'iam-access-key-gate:max-idle-days': 'ten' },
          keys: [{ ageDays: 100, lastUsedDaysAgo: 1 }]
        }
      ]
    })
    const run = await audit(emu, { 'user-tags': 'true' })
    expect(run.code).toBe(1)
    expect(run.r.complete).toBe(false)
    expect(run.r.errors).toEqual([
      {
        user: 'typo',
        operation: 'UserTag',
        message:
          "User 'typo': tag iam-access-key-gate:max-idle-days must be a whole number of days from 1 to 3650, got 'ten'; the user is judged by the defaults"
      }
    ])
    expect(keyOf(run.r, 'typo')).toMatchObject({
      verdict: 'violation',
      reasons: ['age'],
      limits: null
    })
  })
})

describe('user tags that cannot be read', () => {
  it('a denied ListUserTags makes the audit incomplete; the user is judged by the defaults', async () => {
    const emu = await start({
      users: [
        {
          name: 'locked',
          tags: { 'iam-access-key-gate:max-age-days': '30' },
          keys: [{ ageDays: 40, lastUsedDaysAgo: 1 }]
        }
      ],
      faults: [{ action: 'ListUserTags', user: 'locked', code: 'AccessDenied' }]
    })
    const run = await audit(emu, { 'user-tags': 'true' })
    expect(run.code).toBe(1)
    expect(run.r.complete).toBe(false)
    expect(run.r.errors).toEqual([
      {
        user: 'locked',
        operation: 'ListUserTags',
        message: expect.stringMatching(
          /^Could not read the tags of user 'locked' \(user-tags\); the user is judged by the defaults: AccessDenied: /
        )
      }
    ])
    expect(keyOf(run.r, 'locked')).toMatchObject({ verdict: 'ok', limits: null })
    expect(run.summary.split('\n')[0]).toContain('Audit incomplete')
  })
})

describe('scoping, two keys, inactive keys', () => {
  it('include-paths and exclude-users: no calls for excluded users, and they are counted', async () => {
    const emu = await start({
      users: [
        { name: 'ci', path: '/service/', keys: [{ ageDays: 10, lastUsedDaysAgo: 1 }] },
        { name: 'break-glass', path: '/service/', keys: [{ ageDays: 500, lastUsedDaysAgo: 400 }] },
        { name: 'alice', keys: [{ ageDays: 300, lastUsedDaysAgo: 1 }] },
        { name: 'deploy', path: '/team/web/', keys: [{ ageDays: 5, lastUsedDaysAgo: 1 }] }
      ]
    })
    const run = await audit(emu, {
      'include-paths': '/service/\n/team/*/',
      'exclude-users': 'break-*'
    })
    expect(run.code).toBe(0)
    expect(run.outputs['users-scanned']).toBe('2')
    expect(run.r.totals).toMatchObject({ users: 2, keys: 2, excludedUsers: 2 })
    expect(
      iamCalls(emu, 'ListAccessKeys')
        .map(q => q.params.UserName)
        .sort()
    ).toEqual(['ci', 'deploy'])
    expect(run.summary).toContain(
      '**2 users excluded** by include-paths / exclude-users (not audited).'
    )
  })

  it('a user with two active keys is a warning (CIS 1.13), not a failure by default', async () => {
    const emu = await start({
      users: [
        {
          name: 'rotating',
          keys: [
            { ageDays: 20, lastUsedDaysAgo: 1 },
            { ageDays: 2, lastUsedDaysAgo: 0 }
          ]
        }
      ]
    })
    const run = await audit(emu)
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ warnings: '2', violations: '0' })
    expect(run.r.keys.map(k => [k.verdict, k.reasons])).toEqual([
      ['warning', ['multiple-active-keys']],
      ['warning', ['multiple-active-keys']]
    ])
    expect(run.summary).toContain('| the user has more than one active key: keep one |')

    const failing = await audit(emu, { 'multiple-active-keys': 'fail' })
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain(
      '::error::2 of 2 access keys break policy (2 of users with more than one active key)'
    )
  })

  it('max-inactive-days warns about an old inactive key', async () => {
    const emu = await start({
      users: [{ name: 'left-behind', keys: [{ ageDays: 400, status: 'Inactive' }] }]
    })
    const run = await audit(emu, { 'max-inactive-days': '365' })
    expect(run.code).toBe(0)
    expect(keyOf(run.r, 'left-behind')).toMatchObject({
      verdict: 'warning',
      reasons: ['inactive-age']
    })
  })
})

describe('safe deactivation', () => {
  const users: ScenarioAccount['users'] = [
    { name: 'idle-bot', keys: [{ id: 'AKIAIDLEBOT000000001', ageDays: 80, lastUsedDaysAgo: 60 }] },
    { name: 'busy-old', keys: [{ id: 'AKIABUSYOLD000000002', ageDays: 300, lastUsedDaysAgo: 1 }] },
    {
      name: 'hot-old',
      keys: [{ id: 'AKIAHOTOLD0000000003', ageDays: 300, lastUsedDaysAgo: 0.25 }]
    },
    {
      name: 'exempt-idle',
      keys: [{ id: 'AKIAEXEMPTIDLE000004', ageDays: 80, lastUsedDaysAgo: 60 }]
    }
  ]
  const status = (emu: Emulator, user: string) =>
    emu.state.user(ACCOUNT, user)?.keys.map(k => k.status)
  const exemptions = `- user: exempt-idle\n  until: ${day(30)}\n  reason: SEC-5`

  it('deactivate: idle deactivates the idle key and leaves an old but yesterday-used key active', async () => {
    const emu = await start({ users })
    const run = await audit(emu, { deactivate: 'idle', exemptions })
    expect(status(emu, 'idle-bot')).toEqual(['Inactive'])
    expect(status(emu, 'busy-old')).toEqual(['Active'])
    expect(status(emu, 'hot-old')).toEqual(['Active'])
    expect(status(emu, 'exempt-idle')).toEqual(['Active'])
    expect(
      iamCalls(emu, 'UpdateAccessKey').map(q => [
        q.params.UserName,
        q.params.AccessKeyId,
        q.params.Status
      ])
    ).toEqual([['idle-bot', 'AKIAIDLEBOT000000001', 'Inactive']])
    expect(iamCalls(emu, 'DeleteAccessKey')).toHaveLength(0)
    expect(keyOf(run.r, 'idle-bot')).toMatchObject({ verdict: 'violation', action: 'deactivated' })
    expect(keyOf(run.r, 'busy-old')).toMatchObject({ verdict: 'violation', action: null })
    expect(run.summary).toContain('### Deactivation (1)')
    expect(run.summary).toContain('| unused for over 45 days · **deactivated by this run** |')
    expect(run.stdout).toContain("Deactivated idle-bot's key AKIA…0001 (idle)")
    // The key broke policy when it was read: the run still reports it.
    expect(run.code).toBe(1)
  })

  it('deactivate: age spares a key used within the last 24 hours, by its exact time', async () => {
    const emu = await start({ users })
    const run = await audit(emu, { deactivate: 'age' })
    expect(status(emu, 'busy-old')).toEqual(['Inactive'])
    expect(status(emu, 'hot-old')).toEqual(['Active'])
    expect(status(emu, 'idle-bot')).toEqual(['Active'])
    expect(keyOf(run.r, 'hot-old')).toMatchObject({ action: 'spared-recent-use' })
    expect(run.summary).toContain('not deactivated: used within the last 24 hours')
  })

  it('dry-run deactivates nothing and says what it would do', async () => {
    const emu = await start({ users })
    const run = await audit(emu, { deactivate: 'idle-and-age', 'dry-run': 'true', exemptions })
    expect(iamCalls(emu, 'UpdateAccessKey')).toHaveLength(0)
    for (const user of ['idle-bot', 'busy-old', 'hot-old', 'exempt-idle'])
      expect(status(emu, user)).toEqual(['Active'])
    expect(run.r.keys.filter(k => k.action).map(k => [k.user, k.action])).toEqual([
      ['busy-old', 'would-deactivate'],
      ['hot-old', 'spared-recent-use'],
      ['idle-bot', 'would-deactivate']
    ])
    expect(run.stdout).toContain("dry-run: would deactivate idle-bot's key AKIA…0001 (idle)")
    expect(run.summary).toContain('would be deactivated (dry-run)')
  })

  it('a failed deactivation is an error, not a silent skip', async () => {
    const emu = await start({
      users,
      faults: [{ action: 'UpdateAccessKey', user: 'idle-bot', code: 'AccessDenied' }]
    })
    const run = await audit(emu, { deactivate: 'idle' })
    expect(status(emu, 'idle-bot')).toEqual(['Active'])
    expect(run.code).toBe(1)
    expect(run.r.complete).toBe(false)
    expect(keyOf(run.r, 'idle-bot')).toMatchObject({ action: 'deactivation-failed' })
    expect(run.r.errors).toEqual([
      {
        user: 'idle-bot',
        operation: 'UpdateAccessKey',
        message: expect.stringMatching(
          /^Could not deactivate access key AKIA…0001 of user 'idle-bot': AccessDenied: /
        )
      }
    ])
    expect(run.summary).toContain('**deactivation failed**')
  })
})
