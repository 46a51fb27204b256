/**
 * End-to-end: last-used-source credential-report against the emulator, always beside an `api`
 * run of the same account, because its promise is the same verdicts for every key with fewer
 * calls.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { generateAccount, type Scenario, type ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { ROOT, runAction, type ActionRun } from '../scripts/run-action.js'
import { join } from 'node:path'
import type { Report } from '../src/report.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-access-key-gate`
const WARNING =
  "::warning::The credential report is not used, so every key's last use is asked live (GetAccessKeyLastUsed): "

/** The report file as the action writes it. */
type ReportShape = Report

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(account: ScenarioAccount): Promise<Emulator> {
  const scenario: Scenario = { accounts: [account] }
  emulator = await startEmulator(scenario)
  return emulator
}

async function audit(
  emu: Emulator,
  source: 'api' | 'credential-report',
  inputs: Record<string, string> = {}
): Promise<ActionRun & { r: ReportShape; calls: Record<string, number> }> {
  emu.clearRequests()
  const run = await runAction({
    env: emu.env(),
    inputs: {
      'role-to-assume': ROLE,
      'reveal-key-ids': 'true',
      'fail-on-violation': 'false',
      'last-used-source': source,
      ...inputs
    }
  })
  const calls: Record<string, number> = {}
  for (const r of emu.requests.filter(q => q.service === 'iam'))
    calls[r.action] = (calls[r.action] ?? 0) + 1
  return { ...run, r: run.report as ReportShape, calls }
}

/** A row's key in the maps below: its user and key id. */
const rowId = (k: ReportShape['keys'][number]): string => `${k.user} ${k.accessKeyId ?? '-'}`

/** Every row's verdict and reasons, by user and key id. */
function verdicts(r: ReportShape): Record<string, string> {
  return Object.fromEntries(r.keys.map(k => [rowId(k), `${k.verdict} ${k.reasons.join(',')}`]))
}

/**
 * The rows of the api run that the credential-report run does not have. Only an Inactive key
 * that was never used may be missing: AWS documents its report columns as N/A, like no key,
 * so a user holding nothing else is not listed (README, "the report cannot show").
 */
function unseenByReport(api: ReportShape, cr: ReportShape): ReportShape['keys'] {
  const seen = new Set(cr.keys.map(rowId))
  const unseen = api.keys.filter(k => !seen.has(rowId(k)))
  for (const k of unseen)
    expect({
      user: k.user,
      status: k.status,
      lastUsedDate: k.lastUsedDate,
      verdict: k.verdict
    }).toEqual({
      user: k.user,
      status: 'Inactive',
      lastUsedDate: null,
      verdict: 'inactive'
    })
  return unseen
}

/** api's verdicts without the rows the credential report cannot show (see unseenByReport). */
function reportableVerdicts(api: ReportShape, cr: ReportShape): Record<string, string> {
  const all = verdicts(api)
  for (const k of unseenByReport(api, cr)) delete all[rowId(k)]
  return all
}

function warnings(run: ActionRun): string[] {
  return run.stdout.split('\n').filter(l => l.startsWith('::warning'))
}

const demo = (): ScenarioAccount =>
  (JSON.parse(readFileSync(join(ROOT, 'emulator', 'scenarios', 'demo.json'), 'utf8')) as Scenario)
    .accounts[0] as ScenarioAccount

describe('last-used-source: credential-report', () => {
  it('gives the demo account the same verdict for every key as api, with fewer calls', async () => {
    const emu = await start(demo())
    const api = await audit(emu, 'api')
    const cr = await audit(emu, 'credential-report')
    expect(cr.code).toBe(0)
    expect(warnings(cr)).toEqual([])
    // frank's one key is Inactive and was never used: the report shows no key for him.
    expect(unseenByReport(api.r, cr.r).map(k => k.user)).toEqual(['frank'])
    expect(Object.keys(verdicts(cr.r))).toHaveLength(api.r.keys.length - 1)
    expect(verdicts(cr.r)).toEqual(reportableVerdicts(api.r, cr.r))
    expect(api.r.credentialReport).toBeNull()
    expect(api.r.keys.every(k => k.lastUsedSource === (k.accessKeyId ? 'api' : null))).toBe(true)

    const info = cr.r.credentialReport
    expect(info?.generatedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/))
    expect(info?.fallbackReason).toBeNull()
    const fromReport = cr.r.keys.filter(k => k.lastUsedSource === 'credential-report')
    const live = cr.r.keys.filter(k => k.lastUsedSource === 'api')
    expect(info?.keysFromReport).toBe(fromReport.length)
    expect(info?.keysAskedLive).toBe(live.length)
    expect(cr.calls.GetAccessKeyLastUsed).toBe(live.length)
    expect(cr.calls.GetAccessKeyLastUsed).toBeLessThan(api.calls.GetAccessKeyLastUsed ?? 0)
    // carol, rupert and frank have no key in the report: their keys are not listed. grace's
    // Inactive key shows by its last use, and nora's by her active one: they are listed.
    expect(info?.usersWithoutKeyInReport).toBe(3)
    expect(cr.calls.ListAccessKeys).toBe((api.calls.ListAccessKeys ?? 0) - 3)
    expect(cr.r.keys.filter(k => k.status === 'Inactive').map(k => k.user)).toEqual(
      expect.arrayContaining(['grace', 'nora,contractor'])
    )
    // Keys the report shows idle past 45 days, or never used, are confirmed live.
    for (const user of ['terraform', 'judy', 'athena-export', 'walter', 'victor', 'dave'])
      expect(cr.r.keys.filter(k => k.user === user && k.lastUsedSource === 'api')).not.toEqual([])
    expect(cr.r.keys.find(k => k.user === 'ci-deployer')?.lastUsedSource).toBe('credential-report')
    expect(cr.summary).toContain(
      `Last use: from the IAM credential report generated ${info?.generatedAt?.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')} for ${fromReport.length} keys`
    )
    expect(cr.summary).toContain('<sub>credential report</sub>')
    expect(cr.stdout).toContain(
      'Credential report: STARTED (No report exists. Starting a new report generation task)'
    )
    expect(cr.stdout).toContain('Credential report: COMPLETE')
  })

  it('gives a generated 2,000-user account the same verdict for every key as api', async () => {
    const account = generateAccount({
      id: ACCOUNT,
      users: 2000,
      seed: 11,
      noKeyShare: 0.4,
      violationShare: 0.1
    })
    account.rootAccessKeysPresent = true
    const emu = await start(account)
    const api = await audit(emu, 'api')
    const cr = await audit(emu, 'credential-report')
    expect(cr.r.complete).toBe(true)
    // Every key both runs saw has the same verdict; the generator's Inactive keys are never
    // used, so those of users with no other key are the only ones the report cannot show.
    const unseen = unseenByReport(api.r, cr.r)
    expect(unseen.length).toBeGreaterThan(0)
    expect(Object.keys(verdicts(cr.r)).length).toBe(api.r.keys.length - unseen.length)
    expect(verdicts(cr.r)).toEqual(reportableVerdicts(api.r, cr.r))
    expect(verdicts(cr.r)['<root_account> -']).toBe('violation root-key')
    const shown = (k: NonNullable<ScenarioAccount['users'][number]['keys']>[number]): boolean =>
      k.status !== 'Inactive' || typeof k.lastUsedDaysAgo === 'number'
    const withKeys = account.users.filter(u => (u.keys ?? []).some(shown)).length
    expect(cr.calls.ListAccessKeys).toBe(withKeys)
    expect(cr.calls.GetAccessKeyLastUsed).toBe(cr.r.credentialReport?.keysAskedLive)
    const total = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b)
    expect(total(cr.calls) * 2).toBeLessThan(total(api.calls))
  })

  it('lists the keys of a user missing from the report who is older than it (renamed since)', async () => {
    const emu = await start({
      id: ACCOUNT,
      users: [
        { name: 'alice', keys: [{ id: 'AKIAALICEOLDKEY00001', ageDays: 400, lastUsedDaysAgo: 1 }] }
      ]
    })
    await audit(emu, 'credential-report')
    // UpdateUser --new-user-name keeps the user's keys, whatever their age.
    const alice = emu.state.user(ACCOUNT, 'alice')
    if (!alice) throw new Error('no alice in the emulator')
    alice.userName = 'alice-old'
    alice.arn = `arn:aws:iam::${ACCOUNT}:user/alice-old`
    const cr = await audit(emu, 'credential-report')
    expect(cr.r.keys.find(k => k.user === 'alice-old')).toMatchObject({
      verdict: 'violation',
      reasons: ['age']
    })
    expect(cr.outputs.compliant).toBe('false')
  })

  it('judges a key used after the report by its live last use', async () => {
    const emu = await start({
      id: ACCOUNT,
      users: [
        {
          name: 'idle-then-used',
          keys: [{ id: 'AKIAIDLETHENUSED0001', ageDays: 80, lastUsedDaysAgo: 60 }]
        },
        { name: 'busy', keys: [{ id: 'AKIABUSY000000000002', ageDays: 30, lastUsedDaysAgo: 1 }] }
      ]
    })
    const first = await audit(emu, 'credential-report')
    expect(first.r.keys.find(k => k.user === 'idle-then-used')?.verdict).toBe('violation')

    // Used now, after the report was generated; and a user and key created since.
    emu.state.markKeyUsed('AKIAIDLETHENUSED0001', { service: 'sqs', region: 'eu-west-1' })
    // IAM dates have whole seconds: a user created in the report's own second may or may not be
    // in it, and is listed; this one comes a second later.
    await new Promise(resolve => setTimeout(resolve, 1100))
    emu.state.addUser(ACCOUNT, {
      name: 'newcomer',
      createdDaysAgo: 0,
      keys: [{ ageDays: 0, lastUsedDaysAgo: null }]
    })
    const cr = await audit(emu, 'credential-report')
    expect(cr.calls.GenerateCredentialReport).toBe(1)
    expect(cr.r.credentialReport?.generatedAt).toBe(first.r.credentialReport?.generatedAt)
    const key = cr.r.keys.find(k => k.user === 'idle-then-used')
    expect(key).toMatchObject({ verdict: 'ok', lastUsedSource: 'api' })
    expect(Date.now() - Date.parse(key?.lastUsedDate ?? '')).toBeLessThan(120_000)
    expect(cr.r.keys.find(k => k.user === 'busy')?.lastUsedSource).toBe('credential-report')
    // The newcomer is not in the report: its keys are not listed, and the summary says why.
    expect(cr.r.credentialReport?.usersCreatedSinceReport).toBe(1)
    expect(cr.r.keys.find(k => k.user === 'newcomer')).toBeUndefined()
    expect(cr.summary).toContain(
      'The keys of 1 user were not listed (0 without a key in the report, 1 created since): a key created after the report was generated may be missing from this summary, but it is younger than the report, so it is neither older than 90 days nor unused for over 45 days and cannot break policy.\n'
    )

    // api mode lists the newcomer's fresh key too, and finds it within policy.
    const api = await audit(emu, 'api')
    const apiVerdicts = verdicts(api.r)
    const newcomer = Object.keys(apiVerdicts).filter(k => k.startsWith('newcomer '))
    expect(newcomer.map(k => apiVerdicts[k])).toEqual(['ok '])
    for (const k of newcomer) delete apiVerdicts[k]
    expect(apiVerdicts).toEqual(verdicts(cr.r))
    expect(verdicts(api.r)).toMatchObject({
      'idle-then-used AKIAIDLETHENUSED0001': 'ok ',
      'busy AKIABUSY000000000002': 'ok '
    })
  })

  const users: ScenarioAccount['users'] = [
    { name: 'fresh', keys: [{ ageDays: 10, lastUsedDaysAgo: 1 }] },
    { name: 'old', keys: [{ ageDays: 200, lastUsedDaysAgo: 2 }] },
    { name: 'idle', keys: [{ ageDays: 70, lastUsedDaysAgo: 50 }] },
    { name: 'keyless' }
  ]

  it.each<[string, Partial<ScenarioAccount>, Record<string, string>, string]>([
    [
      'LimitExceeded',
      {
        faults: [
          {
            action: 'GenerateCredentialReport',
            code: 'LimitExceeded',
            message: 'Too many report requests'
          }
        ]
      },
      {},
      'GenerateCredentialReport failed: LimitExceededException: Too many report requests'
    ],
    [
      'AccessDenied',
      {
        faults: [
          {
            action: 'GetCredentialReport',
            code: 'AccessDenied',
            message: 'not authorized to perform iam:GetCredentialReport'
          }
        ]
      },
      {},
      'GetCredentialReport failed: AccessDenied: not authorized to perform iam:GetCredentialReport (the role needs iam:GenerateCredentialReport and iam:GetCredentialReport for last-used-source: credential-report)'
    ],
    [
      'a report still in progress after the wait',
      { credentialReport: { generationDelayMs: 600_000 } },
      { 'credential-report-wait-seconds': '1' },
      'the credential report was still not ready after 1 s (last state INPROGRESS)'
    ],
    [
      'a malformed CSV',
      {
        credentialReport: { content: 'user,arn\n"unterminated,arn:aws:iam::123456789012:user/x\n' }
      },
      {},
      'the credential report is malformed: not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2'
    ]
  ])(
    'falls back to api on %s, with one warning and the same verdicts',
    async (_label, fault, inputs, reason) => {
      const emu = await start({ id: ACCOUNT, users, ...fault })
      const cr = await audit(emu, 'credential-report', inputs)
      expect(warnings(cr)).toEqual([`${WARNING}${reason}`])
      expect(cr.r.credentialReport).toMatchObject({ generatedAt: null, fallbackReason: reason })
      expect(cr.r.keys.every(k => k.lastUsedSource === (k.accessKeyId ? 'api' : null))).toBe(true)
      expect(cr.calls.GetAccessKeyLastUsed).toBe(3)
      expect(cr.calls.ListAccessKeys).toBe(4)
      expect(cr.summary).toContain(
        `Last use: asked live (GetAccessKeyLastUsed) for every key — the credential report could not be used: ${reason}.`
      )
      const api = await audit(emu, 'api')
      expect(verdicts(cr.r)).toEqual(verdicts(api.r))
      expect(cr.r.keys.map(k => [k.user, k.verdict, k.reasons])).toEqual([
        ['fresh', 'ok', []],
        ['idle', 'violation', ['idle']],
        ['old', 'violation', ['age']]
      ])
    }
  )
})
