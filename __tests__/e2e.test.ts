/**
 * End-to-end: the committed bundle, started as the runner starts it, against the emulator.
 * These read what a user reads: the exit code, the job summary, the outputs, the report file,
 * and what the emulator was asked.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { generateAccount, type Scenario, type ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { machineNode, NODE24, runAction, type ActionRun } from '../scripts/run-action.js'
import type { Report } from '../src/report.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-access-key-gate`

/** The report file as the action writes it. */
type ReportShape = Report

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(
  account: Partial<ScenarioAccount> & { users: ScenarioAccount['users'] }
): Promise<Emulator> {
  const scenario: Scenario = { accounts: [{ id: ACCOUNT, alias: 'acme-prod', ...account }] }
  emulator = await startEmulator(scenario)
  return emulator
}

async function audit(
  emu: Emulator,
  inputs: Record<string, string> = {},
  node = NODE24
): Promise<ActionRun & { r: ReportShape }> {
  const run = await runAction({
    node,
    env: emu.env(),
    inputs: { 'role-to-assume': ROLE, ...inputs }
  })
  return { ...run, r: run.report as ReportShape }
}

const compliantUsers: ScenarioAccount['users'] = [
  { name: 'ci-deployer', path: '/service/', keys: [{ ageDays: 30, lastUsedDaysAgo: 1 }] },
  { name: 'alice', keys: [{ ageDays: 10, lastUsedDaysAgo: null }] },
  { name: 'old-but-off', keys: [{ ageDays: 400, lastUsedDaysAgo: 390, status: 'Inactive' }] },
  { name: 'nobody' }
]

const violatingUsers: ScenarioAccount['users'] = [
  ...compliantUsers,
  { name: 'legacy-etl', keys: [{ id: 'AKIALEGACYETL0000001', ageDays: 212, lastUsedDaysAgo: 3 }] },
  { name: 'forgotten', keys: [{ id: 'AKIAFORGOTTEN0000002', ageDays: 60, lastUsedDaysAgo: null }] },
  {
    name: 'two-keys',
    keys: [
      { id: 'AKIATWOKEYSGOOD00003', ageDays: 5, lastUsedDaysAgo: 0 },
      { id: 'AKIATWOKEYSIDLE00004', ageDays: 80, lastUsedDaysAgo: 50 }
    ]
  }
]

describe.each([
  ['Node 24 (the runtime action.yml names)', NODE24],
  ["the machine's Node", machineNode()]
])('the bundle on %s', (_label, node) => {
  it('passes a compliant account', async () => {
    const emu = await start({ users: compliantUsers })
    const run = await audit(emu, {}, node)
    expect(run.stderr).not.toMatch(/Cannot find module|ERR_/)
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      compliant: 'true',
      violations: '0',
      warnings: '0',
      'keys-scanned': '3',
      'users-scanned': '4',
      errors: '0',
      'issue-number': '',
      'issue-url': ''
    })
    expect(run.summary.split('\n')[0]).toBe(
      `## ✅ IAM access keys: All 3 access keys within policy — account ${ACCOUNT} (acme-prod)`
    )
    expect(run.r).toMatchObject({
      complete: true,
      account: ACCOUNT,
      totals: { ok: 2, inactive: 1, violation: 0 }
    })
  })

  it('fails an account with violations and names every violating key', async () => {
    const emu = await start({ users: violatingUsers })
    const run = await audit(emu, {}, node)
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      compliant: 'false',
      violations: '3',
      'keys-scanned': '7',
      'users-scanned': '7',
      errors: '0'
    })
    expect(run.stdout).toContain(
      '::error::3 of 7 access keys break policy (1 older than 90 days, 2 unused for over 45 days)'
    )
    for (const id of ['AKIA…0001', 'AKIA…0002', 'AKIA…0004'])
      expect(run.summary).toContain(`<code>${id}</code>`)
    expect(run.summary).not.toContain('AKIALEGACYETL0000001')
    const violations = run.r.keys
      .filter(k => k.verdict === 'violation')
      .map(k => [k.user, k.accessKeyId, k.reasons])
    expect(violations).toEqual([
      ['forgotten', 'AKIA…0002', ['idle']],
      ['legacy-etl', 'AKIA…0001', ['age']],
      ['two-keys', 'AKIA…0004', ['idle', 'multiple-active-keys']]
    ])
    // Its sibling breaks policy; this one is fine but a second active key (CIS 1.13) warns.
    expect(run.r.keys.find(k => k.accessKeyId === 'AKIA…0003')).toMatchObject({
      verdict: 'warning',
      reasons: ['multiple-active-keys']
    })
  })
})

describe('the bundle against the emulator', () => {
  it('reads 2,500 users across ListUsers pages, each exactly once', async () => {
    const account = generateAccount({ id: ACCOUNT, users: 2500, seed: 7 })
    const emu = await start(account)
    const run = await audit(emu, { 'fail-on-violation': 'false', 'reveal-key-ids': 'true' })
    const expectedKeys = account.users.reduce((n, u) => n + (u.keys?.length ?? 0), 0)
    expect(run.code).toBe(0)
    expect(run.outputs['users-scanned']).toBe('2500')
    expect(run.outputs['keys-scanned']).toBe(String(expectedKeys))
    expect(new Set(run.r.keys.map(k => k.accessKeyId)).size).toBe(expectedKeys)
    const iam = emu.requests.filter(r => r.service === 'iam')
    expect(iam.filter(r => r.action === 'ListUsers').length).toBeGreaterThanOrEqual(3)
    const listed = iam.filter(r => r.action === 'ListAccessKeys').map(r => r.params.UserName)
    expect(listed).toHaveLength(2500)
    expect(new Set(listed).size).toBe(2500)
    expect(iam.filter(r => r.action === 'GetAccessKeyLastUsed')).toHaveLength(expectedKeys)
  })

  it.each([
    ['true', 1],
    ['false', 0]
  ])(
    'AccessDenied on one user marks the audit incomplete (fail-on-error: %s → exit %i)',
    async (failOnError, exit) => {
      const emu = await start({
        users: compliantUsers,
        faults: [{ action: 'ListAccessKeys', user: 'alice', code: 'AccessDenied' }]
      })
      const run = await audit(emu, { 'fail-on-error': failOnError })
      expect(run.code).toBe(exit)
      expect(run.outputs).toMatchObject({
        compliant: 'false',
        errors: '1',
        'users-scanned': '4',
        'keys-scanned': '2'
      })
      expect(run.r.complete).toBe(false)
      expect(run.r.errors).toEqual([
        {
          user: 'alice',
          operation: 'ListAccessKeys',
          message: expect.stringMatching(
            /^Could not list access keys of user 'alice': AccessDenied: /
          )
        }
      ])
      expect(run.r.keys.find(k => k.user === 'alice')).toMatchObject({
        accessKeyId: null,
        verdict: 'error'
      })
      expect(run.summary.split('\n')[0]).toContain('Audit incomplete')
      expect(run.summary).not.toContain('✅')
      if (exit === 1)
        expect(run.stdout).toContain('::error::The audit is incomplete: 1 call failed')
    }
  )

  it('never shows a full key id in the errors of a key whose last use could not be read', async () => {
    const emu = await start({
      users: violatingUsers,
      faults: [
        {
          action: 'GetAccessKeyLastUsed',
          accessKeyId: 'AKIALEGACYETL0000001',
          code: 'AccessDenied'
        }
      ]
    })
    const run = await audit(emu, { 'fail-on-error': 'false', 'fail-on-violation': 'false' })
    expect(run.r.errors).toEqual([
      {
        user: 'legacy-etl',
        operation: 'GetAccessKeyLastUsed',
        message: expect.stringMatching(
          /^Could not read when access key AKIA…0001 was last used: AccessDenied: /
        )
      }
    ])
    for (const text of [run.stdout, run.summary, JSON.stringify(run.report)]) {
      expect(text).not.toContain('AKIALEGACYETL0000001')
    }
  })

  it('explains the missing id-token permission', async () => {
    const emu = await start({ users: compliantUsers })
    const run = await runAction({
      env: {
        ...emu.env(),
        ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined
      },
      inputs: { 'role-to-assume': ROLE }
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      '::error::Could not get a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set.'
    )
    expect(run.stdout).toContain('permissions:%0A    id-token: write')
    expect(run.summary).toContain('the audit could not run')
    expect(emu.requests.filter(r => r.service === 'iam')).toHaveLength(0)
  })

  it('rejects max-age-days: ninety before any request', async () => {
    const emu = await start({ users: compliantUsers })
    const run = await audit(emu, { 'max-age-days': 'ninety' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      "::error::max-age-days must be a whole number of days from 1 to 3650, got 'ninety'"
    )
    expect(run.stdout).not.toMatch(/\s+at .+\.js:\d+/)
    expect(emu.requests).toHaveLength(0)
  })

  it('never logs the OIDC token or the session credentials', async () => {
    const emu = await start({ users: violatingUsers })
    const run = await audit(emu)
    const sts = emu.requests.find(r => r.action === 'AssumeRoleWithWebIdentity')
    expect(sts?.params.WebIdentityToken).toBeTruthy()
    const masks = run.stdout.split('\n').filter(l => l.startsWith('::add-mask::'))
    expect(masks.length).toBeGreaterThanOrEqual(4)
    const token = sts?.params.WebIdentityToken ?? 'missing'
    const visible = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    expect(visible).not.toContain(token)
    expect(run.summary).not.toContain(token)
  })
})

describe('the bundle outside a runner', () => {
  it('with no inputs and no credentials fails with a clear message, not a module error', async () => {
    const run = await runAction({
      inputs: {},
      env: { GITHUB_STEP_SUMMARY: undefined, GITHUB_OUTPUT: undefined }
    })
    expect(run.code).toBe(1)
    expect(run.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError/)
    expect(run.stdout).toContain('::error::No usable AWS credentials:')
  })
})
