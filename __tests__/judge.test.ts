import { describe, expect, it } from '@jest/globals'
import { judge, judgeKey, wholeDays, worstFirst, DAY_MS } from '../src/judge.js'
import { makeKey, NOW, POLICY } from './helpers/keys.js'

const verdictOf = (opts: Parameters<typeof makeKey>[0], policy = POLICY) => {
  const j = judgeKey(makeKey(opts), policy, NOW)
  return { verdict: j.verdict, reasons: j.reasons, ageDays: j.ageDays, idleDays: j.idleDays }
}

describe('judge: the boundary table (a threshold breaks only when exceeded)', () => {
  it.each([
    [89, 'ok', []],
    [90, 'ok', []],
    [91, 'violation', ['age']]
  ])('age %i days against max-age 90 → %s', (ageDays, verdict, reasons) => {
    expect(verdictOf({ ageDays, lastUsedDaysAgo: 0 })).toEqual({
      verdict,
      reasons,
      ageDays,
      idleDays: 0
    })
  })

  it.each([
    [44, 'ok', []],
    [45, 'ok', []],
    [46, 'violation', ['idle']]
  ])('idle %i days against max-idle 45 → %s', (idle, verdict, reasons) => {
    expect(verdictOf({ ageDays: 60, lastUsedDaysAgo: idle })).toEqual({
      verdict,
      reasons,
      ageDays: 60,
      idleDays: idle
    })
  })

  it('a never-used key 10 days old is within its grace period', () => {
    expect(verdictOf({ ageDays: 10, lastUsedDaysAgo: null })).toEqual({
      verdict: 'ok',
      reasons: [],
      ageDays: 10,
      idleDays: 10
    })
  })

  it('a never-used key 60 days old is idle since its creation', () => {
    expect(verdictOf({ ageDays: 60, lastUsedDaysAgo: null })).toEqual({
      verdict: 'violation',
      reasons: ['idle'],
      ageDays: 60,
      idleDays: 60
    })
  })

  it('an inactive key 400 days old is reported, not a violation', () => {
    expect(verdictOf({ ageDays: 400, lastUsedDaysAgo: 390, status: 'Inactive' })).toEqual({
      verdict: 'inactive',
      reasons: [],
      ageDays: 400,
      idleDays: 390
    })
  })

  it('a CreateDate ahead of the clock (skew) is age 0, not negative', () => {
    const key = { ...makeKey({ ageDays: 0 }), createDate: new Date(NOW.getTime() + 3_600_000) }
    const j = judgeKey(key, POLICY, NOW)
    expect([j.ageDays, j.idleDays, j.verdict]).toEqual([0, 0, 'ok'])
  })

  it('both reasons are listed when both hold', () => {
    expect(verdictOf({ ageDays: 200, lastUsedDaysAgo: 100 }).reasons).toEqual(['age', 'idle'])
  })

  it('counts whole days: 90 days and 23 hours is 90', () => {
    expect(wholeDays(new Date(NOW.getTime() - 90 * DAY_MS - 23 * 3_600_000), NOW)).toBe(90)
  })
})

describe('judge: warnings only where warn thresholds are set', () => {
  const warnPolicy = { ...POLICY, warnAgeDays: 60, warnIdleDays: 30 }

  it('without warn thresholds an 80-day key is ok', () => {
    expect(verdictOf({ ageDays: 80, lastUsedDaysAgo: 1 }).verdict).toBe('ok')
  })
  it.each([
    [60, 0, 'ok', []],
    [61, 0, 'warning', ['age']],
    [20, 31, 'warning', ['idle']],
    [61, 31, 'warning', ['age', 'idle']],
    [91, 31, 'violation', ['age']]
  ])('age %i, idle %i with warn 60/30 → %s %j', (ageDays, idle, verdict, reasons) => {
    const j = verdictOf({ ageDays, lastUsedDaysAgo: idle }, warnPolicy)
    expect([j.verdict, j.reasons]).toEqual([verdict, reasons])
  })
})

describe('judge: whole accounts', () => {
  it('judges both keys of a user on their own', () => {
    const rows = judge(
      {
        keys: [
          makeKey({ user: 'two-keys', ageDays: 10, lastUsedDaysAgo: 1 }),
          makeKey({ user: 'two-keys', ageDays: 200, lastUsedDaysAgo: 1 })
        ],
        unreadUsers: [],
        rootAccessKeysPresent: false
      },
      { ...POLICY, multipleActiveKeys: 'off' },
      NOW
    )
    expect(rows.map(r => [r.user, r.ageDays, r.verdict])).toEqual([
      ['two-keys', 10, 'ok'],
      ['two-keys', 200, 'violation']
    ])
  })

  it('adds an error row per unread user and a root-key violation', () => {
    const rows = judge(
      { keys: [], unreadUsers: [{ user: 'ghost', userPath: '/' }], rootAccessKeysPresent: true },
      POLICY,
      NOW
    )
    expect(rows.map(r => [r.user, r.accessKeyId, r.verdict, r.reasons])).toEqual([
      ['ghost', null, 'error', ['unreadable']],
      ['<root_account>', null, 'violation', ['root-key']]
    ])
  })

  it('a key whose last use could not be read is an error, unless its age alone breaks policy', () => {
    expect(verdictOf({ ageDays: 30, unknownLastUse: true })).toMatchObject({
      verdict: 'error',
      reasons: ['unreadable'],
      idleDays: null
    })
    expect(verdictOf({ ageDays: 300, unknownLastUse: true })).toMatchObject({
      verdict: 'violation',
      reasons: ['age']
    })
  })

  it('sorts worst first: root, both reasons, then by overshoot', () => {
    const rows = judge(
      {
        keys: [
          makeKey({ user: 'a-slightly-old', ageDays: 95, lastUsedDaysAgo: 1 }),
          makeKey({ user: 'b-both', ageDays: 95, lastUsedDaysAgo: 50 }),
          makeKey({ user: 'c-very-old', ageDays: 500, lastUsedDaysAgo: 1 })
        ],
        unreadUsers: [],
        rootAccessKeysPresent: true
      },
      POLICY,
      NOW
    )
    expect(worstFirst(rows, POLICY).map(r => r.user)).toEqual([
      '<root_account>',
      'b-both',
      'c-very-old',
      'a-slightly-old'
    ])
  })

  it('is pure: the same input gives the same output and the input is not changed', () => {
    const key = makeKey({ ageDays: 100, lastUsedDaysAgo: 3 })
    const copy = structuredClone(key)
    expect(judgeKey(key, POLICY, NOW)).toEqual(judgeKey(key, POLICY, NOW))
    expect(key).toEqual(copy)
  })
})
