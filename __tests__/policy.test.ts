import { describe, expect, it } from '@jest/globals'
import type { Policy } from '../src/config.js'
import { deactivationPlan } from '../src/deactivate.js'
import type { Exemption } from '../src/exemptions.js'
import { failureMessage } from '../src/gate.js'
import { judge, keyExemption } from '../src/judge.js'
import type { JudgedKey, KeyRecord, UserPolicy } from '../src/model.js'
import { buildReport } from '../src/report.js'
import { inScope, matchesName, matchesPathPrefix, splitList } from '../src/scope.js'
import { renderSummary } from '../src/summary.js'
import { userPolicyFromTags } from '../src/user-tags.js'
import { makeInventory, makeKey, NOW, POLICY } from './helpers/keys.js'

const run = (
  keys: KeyRecord[],
  opts: {
    policy?: Policy
    exemptions?: Exemption[]
    userPolicies?: Map<string, UserPolicy>
    root?: boolean
  } = {}
): JudgedKey[] =>
  judge(
    { keys, unreadUsers: [], rootAccessKeysPresent: opts.root ?? false },
    opts.policy ?? POLICY,
    NOW,
    { exemptions: opts.exemptions, userPolicies: opts.userPolicies }
  )

const brief = (rows: JudgedKey[]) => rows.map(r => [r.user, r.verdict, r.reasons])
const exemption = (selector: Exemption['selector'], until: string, entry = 0): Exemption => ({
  entry,
  selector,
  until,
  reason: 'SEC-123'
})

describe('judge: exemptions', () => {
  const old = (user: string, extra: Partial<Parameters<typeof makeKey>[0]> = {}) =>
    makeKey({ user, ageDays: 200, lastUsedDaysAgo: 1, ...extra })

  it('an unexpired exemption makes the key exempt, keeping what it excuses', () => {
    const [row] = run([old('vendor')], {
      exemptions: [exemption({ user: 'vendor' }, '2027-01-31')]
    })
    expect(row).toMatchObject({
      verdict: 'exempt',
      reasons: ['age'],
      exemption: {
        reason: 'SEC-123',
        until: '2027-01-31',
        source: 'input',
        entry: 0,
        expired: false,
        daysLeft: 59
      }
    })
  })

  it('applies through the whole of its last day and not a moment after', () => {
    expect(keyExemption('2026-12-03', 'x', 'input', 0, NOW)).toMatchObject({
      expired: false,
      daysLeft: 0
    })
    expect(
      keyExemption('2026-12-03', 'x', 'input', 0, new Date('2026-12-04T00:00:00.000Z'))
    ).toMatchObject({ expired: true, daysLeft: -1 })
  })

  it('an expired exemption no longer applies and says it expired', () => {
    const [row] = run([old('vendor')], {
      exemptions: [exemption({ user: 'vendor' }, '2026-12-02')]
    })
    expect(row).toMatchObject({
      verdict: 'violation',
      reasons: ['age'],
      exemption: { expired: true, until: '2026-12-02', daysLeft: -1 }
    })
  })

  it('an unexpired exemption wins over an expired one for the same key', () => {
    const [row] = run([old('vendor')], {
      exemptions: [
        exemption({ user: 'vendor' }, '2026-01-01', 0),
        exemption({ user: 'ven*' }, '2027-01-01', 1)
      ]
    })
    expect(row).toMatchObject({ verdict: 'exempt', exemption: { entry: 1 } })
  })

  it('matches by user glob, by key id and by path prefix, and nothing else', () => {
    const rows = run(
      [
        old('etl-1'),
        old('etl'),
        old('k', { accessKeyId: 'AKIAEXEMPTKEY0000001' }),
        old('k2', { accessKeyId: 'AKIAEXEMPTKEY0000002' }),
        old('v', { userPath: '/vendor/acme/' }),
        old('w', { userPath: '/vendors/' })
      ],
      {
        exemptions: [
          exemption({ user: 'etl-*' }, '2027-01-01', 0),
          exemption({ accessKeyId: 'AKIAEXEMPTKEY0000001' }, '2027-01-01', 1),
          exemption({ path: '/vendor/' }, '2027-01-01', 2)
        ]
      }
    )
    expect(rows.map(r => [r.user, r.verdict])).toEqual([
      ['etl-1', 'exempt'],
      ['etl', 'violation'],
      ['k', 'exempt'],
      ['k2', 'violation'],
      ['v', 'exempt'],
      ['w', 'violation']
    ])
  })

  it('never exempts the root user, whatever the glob', () => {
    const rows = run([], {
      root: true,
      exemptions: [exemption({ user: '*' }, '2027-01-01'), exemption({ path: '/' }, '2027-01-01')]
    })
    expect(brief(rows)).toEqual([['<root_account>', 'violation', ['root-key']]])
  })

  it('does not turn a key whose last use could not be read into exempt', () => {
    const [row] = run([makeKey({ user: 'u', ageDays: 10, unknownLastUse: true })], {
      exemptions: [exemption({ user: 'u' }, '2027-01-01')]
    })
    expect(row).toMatchObject({ verdict: 'error', exemption: { expired: false } })
  })

  it('a tag exemption of the user applies like an input one', () => {
    const [row] = run([old('vendor')], {
      userPolicies: new Map([['vendor', { exemption: { until: '2026-12-10', reason: 'tagged' } }]])
    })
    expect(row).toMatchObject({
      verdict: 'exempt',
      exemption: { source: 'tag', entry: null, daysLeft: 7, reason: 'tagged' }
    })
  })
})

describe('judge: per-user thresholds', () => {
  it("a user's tighter max-age catches a key the inputs would pass", () => {
    const rows = run(
      [
        makeKey({ user: 'strict', ageDays: 40, lastUsedDaysAgo: 1 }),
        makeKey({ user: 'normal', ageDays: 40, lastUsedDaysAgo: 1 })
      ],
      { userPolicies: new Map([['strict', { maxAgeDays: 30 }]]) }
    )
    expect(rows.map(r => [r.user, r.verdict, r.reasons, r.limits ?? null])).toEqual([
      ['strict', 'violation', ['age'], { maxAgeDays: 30, maxIdleDays: 45 }],
      ['normal', 'ok', [], null]
    ])
  })
})

describe('judge: two active keys (CIS 1.13) and old inactive keys', () => {
  const two = () => [
    makeKey({ user: 'two', ageDays: 10, lastUsedDaysAgo: 1 }),
    makeKey({ user: 'two', ageDays: 20, lastUsedDaysAgo: 2 })
  ]

  it.each([
    ['warn', 'warning'],
    ['fail', 'violation']
  ] as const)('multiple-active-keys: %s → %s on each active key', (mode, verdict) => {
    expect(brief(run(two(), { policy: { ...POLICY, multipleActiveKeys: mode } }))).toEqual([
      ['two', verdict, ['multiple-active-keys']],
      ['two', verdict, ['multiple-active-keys']]
    ])
  })

  it('multiple-active-keys: off checks nothing', () => {
    expect(brief(run(two(), { policy: { ...POLICY, multipleActiveKeys: 'off' } }))).toEqual([
      ['two', 'ok', []],
      ['two', 'ok', []]
    ])
  })

  it('one active and one inactive key is fine; a violating key keeps its own reason first', () => {
    const rows = run([
      makeKey({ user: 'a', ageDays: 10, lastUsedDaysAgo: 1 }),
      makeKey({ user: 'a', ageDays: 300, status: 'Inactive' }),
      makeKey({ user: 'b', ageDays: 10, lastUsedDaysAgo: 1 }),
      makeKey({ user: 'b', ageDays: 100, lastUsedDaysAgo: 1 })
    ])
    expect(brief(rows)).toEqual([
      ['a', 'ok', []],
      ['a', 'inactive', []],
      ['b', 'warning', ['multiple-active-keys']],
      ['b', 'violation', ['age', 'multiple-active-keys']]
    ])
  })

  it('max-inactive-days: an inactive key older than it is a warning to delete it', () => {
    const policy = { ...POLICY, maxInactiveDays: 180 }
    const rows = run(
      [
        makeKey({ user: 'x', ageDays: 180, status: 'Inactive' }),
        makeKey({ user: 'y', ageDays: 181, status: 'Inactive' })
      ],
      { policy }
    )
    expect(brief(rows)).toEqual([
      ['x', 'inactive', []],
      ['y', 'warning', ['inactive-age']]
    ])
    const summary = renderSummary({
      report: buildReport(makeInventory([]), rows, policy, NOW, false),
      rows,
      policy,
      now: NOW,
      revealKeyIds: false,
      reportPath: 'r.json',
      seconds: 1
    })
    expect(summary).toContain('| inactive and older than 180 days: delete it |')
  })

  it('the failure message counts two-key users only when they fail the run', () => {
    const policy = { ...POLICY, multipleActiveKeys: 'fail' as const }
    const rows = run(two(), { policy })
    const report = buildReport(makeInventory(two()), rows, policy, NOW, false)
    expect(failureMessage(report, rows, policy, { failOnViolation: true, failOnError: true })).toBe(
      '2 of 2 access keys break policy (2 of users with more than one active key)'
    )
  })
})

describe('user tags', () => {
  const tags = (t: Record<string, string>, allow = false) =>
    userPolicyFromTags('bob', t, POLICY, allow, NOW)

  it('tightens thresholds', () => {
    expect(
      tags({
        'iam-access-key-gate:max-age-days': '30',
        'iam-access-key-gate:max-idle-days': '10',
        team: 'data'
      })
    ).toEqual({ policy: { maxAgeDays: 30, maxIdleDays: 10 }, problems: [], ignored: [] })
  })

  it('ignores a relaxing tag unless allowed, and says so', () => {
    expect(tags({ 'iam-access-key-gate:max-age-days': '200' })).toEqual({
      policy: null,
      problems: [],
      ignored: [
        "User 'bob': tag iam-access-key-gate:max-age-days=200 is ignored: it relaxes the input's 90 days (allow-tag-relaxation is off)"
      ]
    })
    expect(tags({ 'iam-access-key-gate:max-age-days': '200' }, true).policy).toEqual({
      maxAgeDays: 200
    })
  })

  it('a bad value is a problem and the user falls back to the defaults', () => {
    expect(
      tags({
        'iam-access-key-gate:max-age-days': '30',
        'iam-access-key-gate:max-idle-days': 'soon'
      })
    ).toEqual({
      policy: null,
      problems: [
        "User 'bob': tag iam-access-key-gate:max-idle-days must be a whole number of days from 1 to 3650, got 'soon'; the user is judged by the defaults"
      ],
      ignored: []
    })
  })

  it('an exemption by tag needs a reason, a real date and allow-tag-relaxation', () => {
    expect(tags({ 'iam-access-key-gate:exempt-until': '2027-02-30' }).problems).toEqual([
      "User 'bob': tag iam-access-key-gate:exempt-until: '2027-02-30' is not a date (YYYY-MM-DD, such as 2027-03-31)",
      "User 'bob': tag iam-access-key-gate:exempt-until needs iam-access-key-gate:exempt-reason (why the user is exempt)"
    ])
    const ok = {
      'iam-access-key-gate:exempt-until': '2027-01-31',
      'iam-access-key-gate:exempt-reason': 'SEC-9'
    }
    expect(tags(ok)).toEqual({
      policy: null,
      problems: [],
      ignored: [
        "User 'bob': tags iam-access-key-gate:exempt-until/iam-access-key-gate:exempt-reason are ignored: an exemption by tag needs allow-tag-relaxation: true"
      ]
    })
    expect(tags(ok, true).policy).toEqual({ exemption: { until: '2027-01-31', reason: 'SEC-9' } })
  })
})

describe('scope', () => {
  it('globs match whole names and path prefixes', () => {
    expect(matchesName('etl-*', 'etl-nightly')).toBe(true)
    expect(matchesName('etl-*', 'my-etl-nightly')).toBe(false)
    expect(matchesName('temp-?', 'temp-1')).toBe(true)
    expect(matchesName('a.b', 'axb')).toBe(false)
    expect(matchesPathPrefix('/team/*/', '/team/data/x/')).toBe(true)
    expect(matchesPathPrefix('/service/', '/services/')).toBe(false)
  })

  it('include-paths then exclude-users', () => {
    const scope = { includePaths: ['/service/'], excludeUsers: ['break-glass'] }
    expect(inScope(scope, 'ci', '/service/')).toBe(true)
    expect(inScope(scope, 'ci', '/')).toBe(false)
    expect(inScope(scope, 'break-glass', '/service/')).toBe(false)
    expect(inScope({ includePaths: [], excludeUsers: [] }, 'anyone', '/x/')).toBe(true)
  })

  it('lists split on lines and commas', () => {
    expect(splitList(' a,b\n\n c ,')).toEqual(['a', 'b', 'c'])
  })
})

describe('deactivation plan', () => {
  const hours = (h: number) => new Date(NOW.getTime() - h * 3_600_000)
  const rows = (): JudgedKey[] =>
    run([
      makeKey({ user: 'idle', ageDays: 80, lastUsedDaysAgo: 60 }),
      makeKey({ user: 'old', ageDays: 200, lastUsedDaysAgo: 2 }),
      { ...makeKey({ user: 'old-hot', ageDays: 200 }), lastUsedDate: hours(23.9) },
      { ...makeKey({ user: 'old-day', ageDays: 200 }), lastUsedDate: hours(24) },
      makeKey({ user: 'old-unread', ageDays: 200, unknownLastUse: true }),
      makeKey({ user: 'fine', ageDays: 10, lastUsedDaysAgo: 1 }),
      makeKey({ user: 'off', ageDays: 300, status: 'Inactive' })
    ])
  const users = (list: JudgedKey[]) => list.map(r => r.user)

  it('idle: only idle violations', () => {
    const plan = deactivationPlan(rows(), 'idle', NOW)
    expect([users(plan.deactivate), users(plan.spared)]).toEqual([['idle'], []])
  })

  it('age: old keys, sparing one used within 24 hours (to the ms) or of unknown last use', () => {
    const plan = deactivationPlan(rows(), 'age', NOW)
    expect([users(plan.deactivate), users(plan.spared)]).toEqual([
      ['old', 'old-day'],
      ['old-hot', 'old-unread']
    ])
  })

  it('idle-and-age: either reason; off: nothing', () => {
    expect(users(deactivationPlan(rows(), 'idle-and-age', NOW).deactivate)).toEqual([
      'idle',
      'old',
      'old-day'
    ])
    expect(deactivationPlan(rows(), 'off', NOW)).toEqual({
      deactivate: [],
      spared: [],
      onePerUser: []
    })
  })

  it('never touches an exempt key', () => {
    const exempted = run([makeKey({ user: 'idle', ageDays: 80, lastUsedDaysAgo: 60 })], {
      exemptions: [exemption({ user: 'idle' }, '2027-01-01')]
    })
    expect(deactivationPlan(exempted, 'idle-and-age', NOW).deactivate).toEqual([])
  })
})
