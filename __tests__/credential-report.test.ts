import { describe, expect, it } from '@jest/globals'
import type { IAMClient } from '@aws-sdk/client-iam'
import {
  fetchCredentialReport,
  MalformedReportError,
  parseCredentialReport,
  planKey,
  planUser,
  reportSettlesNewKeys,
  startFirstPass,
  type Call,
  type CredentialReport
} from '../src/credential-report.js'
import { DAY_MS } from '../src/judge.js'
import { CREDENTIAL_REPORT_HEADER, renderCredentialReport } from '../emulator/credential-report.js'
import { EmulatorState } from '../emulator/state.js'
import { NOW, POLICY } from './helpers/keys.js'

const HEADER = CREDENTIAL_REPORT_HEADER.join(',')
const GENERATED = new Date(NOW.getTime() - 2 * 3600_000)
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY_MS)
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00')

/**
 * One CSV row: a user and its two key slots ([active, last rotated|null, lastUsed|null] or
 * absent). A null last-rotated date is N/A, as AWS documents it for a key that is not active.
 */
function row(
  user: string,
  path: string,
  k1?: [boolean, Date | null, Date | null | 'no_information'],
  k2?: [boolean, Date | null, Date | null]
): string {
  const slot = (k?: [boolean, Date | null, Date | null | 'no_information']): string[] =>
    k
      ? [
          String(k[0]),
          k[1] === null ? 'N/A' : iso(k[1]),
          k[2] === null ? 'N/A' : k[2] === 'no_information' ? 'no_information' : iso(k[2]),
          k[2] instanceof Date ? 'eu-west-1' : 'N/A',
          k[2] instanceof Date ? 's3' : 'N/A'
        ]
      : ['false', 'N/A', 'N/A', 'N/A', 'N/A']
  const name = /[,"]/.test(user) ? `"${user.replace(/"/g, '""')}"` : user
  const arn = `arn:aws:iam::123456789012:user${path}${user}`
  return [
    name,
    /[,"]/.test(arn) ? `"${arn.replace(/"/g, '""')}"` : arn,
    iso(daysAgo(400)),
    'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    ...slot(k1),
    ...slot(k2),
    'false',
    'N/A',
    'false',
    'N/A'
  ].join(',')
}

const ROOT =
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,' +
  'true,2025-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A'

function report(...rows: string[]): CredentialReport {
  return parseCredentialReport([HEADER, ROOT, ...rows].join('\n') + '\n', GENERATED)
}

describe('parseCredentialReport', () => {
  it('reads key slots, quoted names, paths from the ARN, N/A and the root row', () => {
    const r = report(
      row(
        'nora,contractor',
        '/team/ops/',
        [true, daysAgo(110), daysAgo(70)],
        [false, daysAgo(30), null]
      ),
      row('carol', '/')
    )
    expect(r.generatedAt).toBe(GENERATED)
    expect(r.root?.slots[0]).toEqual({
      active: true,
      lastRotated: new Date('2025-01-01T00:00:00Z'),
      lastUsed: null
    })
    const nora = r.users.get('nora,contractor')
    expect(nora).toMatchObject({
      user: 'nora,contractor',
      path: '/team/ops/',
      slots: [
        {
          active: true,
          lastRotated: daysAgo(110),
          lastUsed: { date: daysAgo(70), service: 's3', region: 'eu-west-1' }
        },
        { active: false, lastRotated: daysAgo(30), lastUsed: null }
      ]
    })
    expect(r.users.get('carol')?.slots).toEqual([
      { active: false, lastRotated: null, lastUsed: null },
      { active: false, lastRotated: null, lastUsed: null }
    ])
  })

  it('reads no_information as unknown, not as never used', () => {
    const r = report(row('old', '/', [true, daysAgo(4000), 'no_information']))
    expect(r.users.get('old')?.slots[0].lastUsed).toBe('unknown')
  })

  it('parses what the emulator serves, row for row', () => {
    const state = new EmulatorState(
      {
        accounts: [
          {
            id: '123456789012',
            rootAccessKeysPresent: true,
            users: [
              { name: 'a,b', path: '/x/', keys: [{ ageDays: 3, lastUsedDaysAgo: 1 }] },
              { name: 'c', keys: [] },
              { name: 'd', keys: [{ status: 'Inactive', ageDays: 40, lastUsedDaysAgo: null }] },
              { name: 'e', keys: [{ status: 'Inactive', ageDays: 40, lastUsedDaysAgo: 5 }] }
            ]
          }
        ]
      },
      NOW.getTime()
    )
    const account = state.accounts[0]!
    const r = parseCredentialReport(renderCredentialReport(account, NOW.getTime()), NOW)
    expect(r.root?.slots[0].active).toBe(true)
    expect(r.users.get('a,b')).toMatchObject({
      path: '/x/',
      slots: [{ active: true, lastRotated: daysAgo(3), lastUsed: { date: daysAgo(1) } }, {}]
    })
    expect(planUser(r, 'c', r.users.get('c')?.created ?? undefined)).toBe('no-key-in-report')
    // As AWS documents it, an Inactive key's last-rotated date is N/A: one never used looks
    // like no key; one used shows by its last use.
    expect(r.users.get('d')?.slots[0]).toEqual({ active: false, lastRotated: null, lastUsed: null })
    expect(planUser(r, 'd', r.users.get('d')?.created ?? undefined)).toBe('no-key-in-report')
    expect(r.users.get('e')?.slots[0]).toMatchObject({ active: false, lastRotated: null })
    expect(planUser(r, 'e', r.users.get('e')?.created ?? undefined)).toBe('list-keys')
  })

  it.each([
    ['', 'the report is empty'],
    ['user,arn\nx,arn:aws:iam::123456789012:user/x\n', "the header lacks 'user_creation_time'"],
    [`${HEADER}\n${ROOT}\nbob,arn\n`, 'not valid CSV: Invalid Record Length'],
    [
      `${HEADER}\n${row('bob', '/').replace('arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:user/eve')}\n`,
      "line 2: the ARN 'arn:aws:iam::123456789012:user/eve' does not name user 'bob'"
    ],
    [
      `${HEADER}\n${row('bob', '/', [true, daysAgo(3), null]).replace(',true,', ',yes,')}\n`,
      "line 2: access_key_1_active is 'yes', not true or false"
    ],
    [
      `${HEADER}\n${row('bob', '/', [true, daysAgo(3), null]).replace(iso(daysAgo(3)), 'last tuesday')}\n`,
      "line 2: access_key_1_last_rotated is 'last tuesday', not an ISO 8601 date"
    ],
    [`${HEADER}\n${row('bob', '/')}\n${row('BOB', '/')}\n`, "user 'BOB' appears twice"]
  ])('rejects a malformed report (%#)', (csv, message) => {
    let error: unknown
    try {
      parseCredentialReport(csv, GENERATED)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MalformedReportError)
    expect((error as Error).message.startsWith(message)).toBe(true)
  })
})

describe('planUser', () => {
  const r = report(
    row('has-key', '/', [true, daysAgo(10), daysAgo(1)]),
    row('inactive-key', '/', [false, daysAgo(10), null]),
    // As AWS documents the report: an Inactive key's last-rotated date is N/A.
    row('inactive-used', '/', [false, null, daysAgo(30)]),
    row('inactive-used-long-ago', '/', [false, null, 'no_information']),
    row('inactive-never-used', '/', [false, null, null]),
    row('no-key', '/')
  )
  const later = new Date(GENERATED.getTime() + 60_000)
  it.each([
    ['has-key', daysAgo(400), 'list-keys'],
    ['HAS-KEY', daysAgo(400), 'list-keys'],
    ['inactive-key', daysAgo(400), 'list-keys'],
    ['inactive-used', daysAgo(400), 'list-keys'],
    ['inactive-used-long-ago', daysAgo(400), 'list-keys'],
    // Indistinguishable from no key in the report: the documented limit (README).
    ['inactive-never-used', daysAgo(400), 'no-key-in-report'],
    ['no-key', daysAgo(400), 'no-key-in-report'],
    ['created-later', later, 'not-in-report'],
    // Renamed since the report (UpdateUser keeps the keys, of any age): not proof of youth.
    ['renamed-since', daysAgo(400), 'list-keys'],
    // A new user under the name of a former keyless one: the row is about someone else.
    ['no-key', later, 'list-keys'],
    ['no-key', undefined, 'list-keys']
  ] as const)('%s created %s → %s', (user, created, plan) =>
    expect(planUser(r, user, created)).toBe(plan)
  )
})

describe('planKey (fixed clock, policy 90/45)', () => {
  const created = daysAgo(80)
  const at = (lastUsed: Date | null | 'no_information', warnIdleDays: number | null = null) =>
    planKey(
      report(row('u', '/', [true, created, lastUsed])),
      'u',
      { createDate: created },
      { ...POLICY, warnIdleDays },
      NOW
    )

  it('settles a key the report shows used within max-idle-days, exactly at the threshold too', () => {
    expect(at(daysAgo(3))).toEqual({
      source: 'credential-report',
      lastUse: { date: daysAgo(3), service: 's3', region: 'eu-west-1' }
    })
    expect(at(daysAgo(45)).source).toBe('credential-report')
  })

  it('asks live for a key the report shows idle past max-idle-days', () => {
    expect(at(daysAgo(46))).toEqual({ source: 'api', why: 'past-threshold' })
  })

  it('asks live for a key past warn-idle-days when that is set', () => {
    expect(at(daysAgo(31), 30)).toEqual({ source: 'api', why: 'past-threshold' })
    expect(at(daysAgo(30), 30).source).toBe('credential-report')
  })

  it('asks live for a key never used, or used before tracking began, in the report', () => {
    expect(at(null)).toEqual({ source: 'api', why: 'never-used' })
    expect(at('no_information')).toEqual({ source: 'api', why: 'no-information' })
  })

  it('asks live for a key that matches no slot by creation time (created or rotated since)', () => {
    const r = report(row('u', '/', [true, created, daysAgo(1)]))
    expect(planKey(r, 'u', { createDate: daysAgo(1) }, POLICY, NOW)).toEqual({
      source: 'api',
      why: 'no-slot'
    })
    expect(planKey(r, 'other', { createDate: created }, POLICY, NOW).source).toBe('api')
    // Within the same second is the same key: the report and ListAccessKeys print seconds.
    expect(
      planKey(r, 'u', { createDate: new Date(created.getTime() + 400) }, POLICY, NOW).source
    ).toBe('credential-report')
  })

  it('asks live when both slots carry the same creation second', () => {
    const r = report(row('u', '/', [true, created, daysAgo(1)], [true, created, daysAgo(2)]))
    expect(planKey(r, 'u', { createDate: created }, POLICY, NOW)).toEqual({
      source: 'api',
      why: 'ambiguous-slot'
    })
  })

  it('matches each of two keys to its own slot', () => {
    const second = daysAgo(5)
    const r = report(row('u', '/', [true, created, daysAgo(60)], [true, second, daysAgo(0)]))
    expect(planKey(r, 'u', { createDate: created }, POLICY, NOW).source).toBe('api')
    expect(planKey(r, 'u', { createDate: second }, POLICY, NOW)).toMatchObject({
      source: 'credential-report',
      lastUse: { date: daysAgo(0) }
    })
  })
})

describe('reportSettlesNewKeys', () => {
  it('holds for a report hours old, and not for one older than the smallest threshold', () => {
    expect(reportSettlesNewKeys(GENERATED, POLICY, NOW)).toBe(true)
    expect(reportSettlesNewKeys(daysAgo(2), { ...POLICY, warnIdleDays: 1 }, NOW)).toBe(false)
    expect(reportSettlesNewKeys(daysAgo(1), { ...POLICY, warnIdleDays: 1 }, NOW)).toBe(true)
  })
})

describe('fetchCredentialReport', () => {
  const csv = [HEADER, ROOT, row('u', '/', [true, daysAgo(3), daysAgo(1)])].join('\n')
  type Answer = { State?: string; Description?: string } | Error

  /** A fake IAM client answering Generate and Get from scripts, one answer per call. */
  function fake(generate: Answer[], get: Array<Answer | 'csv' | string>) {
    const calls: string[] = []
    const sleeps: number[] = []
    const iam = {
      send: async (command: { constructor: { name: string } }) => {
        const name = command.constructor.name.replace(/Command$/, '')
        calls.push(name)
        const next = name === 'GenerateCredentialReport' ? generate.shift() : get.shift()
        if (next instanceof Error) throw next
        if (next === 'csv' || typeof next === 'string')
          return {
            Content: new TextEncoder().encode(next === 'csv' ? csv : next),
            GeneratedTime: GENERATED
          }
        return next
      }
    } as unknown as IAMClient
    const call: Call = (_op, send) => send()
    const info: string[] = []
    const run = (maxWaitMs = 10_000) =>
      fetchCredentialReport(iam, {
        call,
        maxWaitMs,
        sleep: async ms => {
          sleeps.push(ms)
        },
        info: m => info.push(m)
      })
    return { run, calls, sleeps, info }
  }
  const awsError = (name: string, message: string): Error =>
    Object.assign(new Error(message), { name, Code: name })

  it('polls STARTED → INPROGRESS → COMPLETE with growing pauses, logs each state once', async () => {
    const f = fake(
      [
        { State: 'STARTED', Description: 'No report exists.' },
        { State: 'INPROGRESS' },
        { State: 'INPROGRESS' },
        { State: 'COMPLETE' }
      ],
      ['csv']
    )
    const result = await f.run()
    expect(result.ok && result.report.users.get('u')?.slots[0].active).toBe(true)
    expect(result.ok && result.report.generatedAt).toBe(GENERATED)
    expect(f.calls).toEqual([
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport'
    ])
    expect(f.sleeps).toEqual([250, 500, 1000])
    expect(f.info).toEqual([
      'Credential report: STARTED (No report exists.)',
      'Credential report: INPROGRESS',
      'Credential report: COMPLETE'
    ])
  })

  it('gives up after the wait, saying the last state', async () => {
    const f = fake(
      Array.from({ length: 20 }, () => ({ State: 'INPROGRESS' })),
      []
    )
    expect(await f.run(2000)).toEqual({
      ok: false,
      reason: 'the credential report was still not ready after 2 s (last state INPROGRESS)'
    })
    expect(f.sleeps.reduce((a, b) => a + b)).toBe(2000)
  })

  it('generates again when the report expired between the two calls', async () => {
    const f = fake(
      [{ State: 'COMPLETE' }, { State: 'STARTED' }, { State: 'COMPLETE' }],
      // The SDK names the wire code ReportExpired this way, without a Code field.
      [Object.assign(new Error('expired'), { name: 'CredentialReportExpiredException' }), 'csv']
    )
    expect((await f.run()).ok).toBe(true)
    expect(f.calls.filter(c => c === 'GenerateCredentialReport')).toHaveLength(3)
  })

  it.each([
    [
      'LimitExceeded on Generate',
      [awsError('LimitExceeded', 'Rate of report requests exceeded')],
      [],
      'GenerateCredentialReport failed: LimitExceeded: Rate of report requests exceeded'
    ],
    [
      'AccessDenied on Get',
      [{ State: 'COMPLETE' }],
      [awsError('AccessDenied', 'not authorized')],
      'GetCredentialReport failed: AccessDenied: not authorized (the role needs iam:GenerateCredentialReport and iam:GetCredentialReport for last-used-source: credential-report)'
    ],
    [
      'a malformed CSV',
      [{ State: 'COMPLETE' }],
      ['user,arn\n'],
      "the credential report is malformed: the header lacks 'user_creation_time', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service'"
    ]
  ] as Array<[string, Answer[], Array<Answer | string>, string]>)(
    'returns the reason for %s instead of throwing',
    async (_label, generate, get, reason) => {
      expect(await fake(generate, get).run()).toEqual({ ok: false, reason })
    }
  )
})

describe('startFirstPass', () => {
  function pass(generatedAt: Date, csv: string, listEveryUser = false) {
    const warnings: string[] = []
    const iam = {
      send: async (command: { constructor: { name: string } }) =>
        command.constructor.name === 'GenerateCredentialReportCommand'
          ? { State: 'COMPLETE' }
          : { Content: new TextEncoder().encode(csv), GeneratedTime: generatedAt }
    } as unknown as IAMClient
    const first = startFirstPass(iam, {
      policy: { ...POLICY, warnIdleDays: 1 },
      now: NOW,
      maxWaitMs: 1000,
      listEveryUser,
      call: (_op, send) => send(),
      sleep: async () => {},
      warning: m => warnings.push(m)
    })
    return { first, warnings }
  }
  const csv = [
    HEADER,
    ROOT,
    row('u', '/', [true, daysAgo(80), daysAgo(0)], [true, daysAgo(5), daysAgo(3)]),
    row('keyless', '/')
  ].join('\n')

  it('lists every user when a rule needs keys created since the report (listEveryUser)', async () => {
    const { first } = pass(GENERATED, csv, true)
    expect(await first.planUser('keyless', daysAgo(400))).toBe('list-keys')
    expect(await first.planUser('newcomer', new Date(GENERATED.getTime() + 60_000))).toBe(
      'list-keys'
    )
    expect(first.use).toMatchObject({ usersNotListed: 0, usersNotInReport: 0 })
  })

  it('counts what the report settled and what was asked live', async () => {
    const { first, warnings } = pass(GENERATED, csv)
    expect(await first.planUser('u', daysAgo(400))).toBe('list-keys')
    expect(await first.planUser('keyless', daysAgo(400))).toBe('no-key-in-report')
    expect(await first.planUser('newcomer', new Date(GENERATED.getTime() + 60_000))).toBe(
      'not-in-report'
    )
    expect((await first.planKey('u', { createDate: daysAgo(80) })).source).toBe('credential-report')
    expect(await first.planKey('u', { createDate: daysAgo(5) })).toEqual({
      source: 'api',
      why: 'past-threshold'
    })
    expect(first.use).toEqual({
      generatedAt: GENERATED,
      fallbackReason: null,
      usersNotListed: 1,
      usersNotInReport: 1,
      keysFromReport: 1,
      keysAskedLive: 1
    })
    expect(warnings).toEqual([])
  })

  it('does not use a report older than the smallest threshold, with one warning', async () => {
    const { first, warnings } = pass(daysAgo(2), csv)
    expect(await first.planUser('keyless')).toBe('list-keys')
    expect(await first.planUser('newcomer')).toBe('list-keys')
    expect(await first.planKey('u', { createDate: daysAgo(80) })).toEqual({
      source: 'api',
      why: 'no-report'
    })
    const reason = `the credential report was generated at ${daysAgo(2).toISOString()}, too long ago to vouch for keys created since`
    expect(warnings).toEqual([
      `The credential report is not used, so every key's last use is asked live (GetAccessKeyLastUsed): ${reason}`
    ])
    expect(first.use).toMatchObject({
      generatedAt: null,
      fallbackReason: reason,
      keysFromReport: 0
    })
  })
})
