/**
 * End-to-end: the tracking issue. The committed bundle runs as the runner starts it against
 * the emulator, whose GitHub side keeps the issues and records every request. The lifecycle
 * runs share one emulator, in order, like nights of the same repository.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { generateAccount, type Scenario, type ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator, type Emulator, type RecordedRequest } from '../emulator/server.js'
import { ISSUE_BODY_LIMIT, issueMarker } from '../src/issue-body.js'
import { runAction, type ActionRun } from '../scripts/run-action.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-access-key-gate`
const ISSUES = 'https://github.com/acme/infra/issues'
const MARKER = issueMarker(ACCOUNT)

const compliantUsers: ScenarioAccount['users'] = [
  { name: 'ci-deployer', path: '/service/', keys: [{ ageDays: 30, lastUsedDaysAgo: 1 }] },
  { name: 'alice', keys: [{ ageDays: 10, lastUsedDaysAgo: null }] },
  { name: 'nobody' }
]
const violatingUsers: ScenarioAccount['users'] = [
  ...compliantUsers,
  { name: 'legacy-etl', keys: [{ id: 'AKIALEGACYETL0000001', ageDays: 212, lastUsedDaysAgo: 3 }] },
  { name: 'forgotten', keys: [{ id: 'AKIAFORGOTTEN0000002', ageDays: 60, lastUsedDaysAgo: null }] },
  { name: 'two-keys', keys: [{ id: 'AKIATWOKEYSIDLE00004', ageDays: 80, lastUsedDaysAgo: 50 }] }
]

let runId = 1000
async function run(emu: Emulator, inputs: Record<string, string> = {}): Promise<ActionRun> {
  runId++
  return runAction({
    env: {
      ...emu.env(),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: String(runId),
      IAM_ACCESS_KEY_GATE_FAST_RETRIES: 'true'
    },
    inputs: {
      'role-to-assume': ROLE,
      'create-issue': 'true',
      'github-token': 'ghs_emulated',
      ...inputs
    }
  })
}

function writes(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter(r => r.service === 'github' && r.action !== 'GET' && !r.action.startsWith('GET '))
    .map(r => `${r.action} ${r.status}`)
}

function openTracked(emu: Emulator): number[] {
  return emu.state.github.issues
    .filter(
      i =>
        i.state === 'open' &&
        i.labels.includes('iam-access-keys') &&
        (i.body ?? '').includes(MARKER)
    )
    .map(i => i.number)
}

function issue(emu: Emulator, n: number) {
  const found = emu.state.github.issues.find(i => i.number === n)
  if (!found) throw new Error(`no issue #${n}`)
  return found
}

function warnings(stdout: string): string[] {
  return stdout.split('\n').filter(l => l.startsWith('::warning'))
}

describe('the tracking issue across six nights', () => {
  let emu: Emulator
  let mark = 0
  /** The requests since the last call. */
  const fresh = (): RecordedRequest[] => {
    const since = emu.requests.slice(mark)
    mark = emu.requests.length
    return since
  }
  const decoyBody = `Pasted from the gate's issue: ${MARKER}`

  beforeAll(async () => {
    const scenario: Scenario = {
      accounts: [
        {
          id: ACCOUNT,
          alias: 'acme-prod',
          users: [
            ...violatingUsers,
            // IAM allows these characters; in an issue they must stay text.
            {
              name: '@octocat',
              keys: [{ id: 'AKIAMENTION000000005', ageDays: 300, lastUsedDaysAgo: 1 }]
            }
          ]
        }
      ],
      github: {
        issues: [{ number: 1, title: 'Notes', body: decoyBody, labels: ['docs'], state: 'open' }]
      }
    }
    emu = await startEmulator(scenario)
  })
  afterAll(async () => {
    await emu.close()
  })

  it('run 1 with violations opens exactly one labelled issue naming every violating key', async () => {
    const r = await run(emu)
    const requests = fresh()
    expect(r.code).toBe(1)
    expect(r.outputs).toMatchObject({
      compliant: 'false',
      violations: '4',
      'issue-number': '2',
      'issue-url': `${ISSUES}/2`
    })
    expect(openTracked(emu)).toEqual([2])
    const created = issue(emu, 2)
    expect(created.title).toBe(`IAM access keys out of policy in account ${ACCOUNT}`)
    expect(created.labels).toEqual(['iam-access-keys', 'security'])
    for (const [user, key] of [
      ['legacy-etl', 'AKIA…0001'],
      ['forgotten', 'AKIA…0002'],
      ['two-keys', 'AKIA…0004'],
      ['@octocat', 'AKIA…0005']
    ])
      expect(created.body).toContain(`- [ ] \`${user}\` \`${key}\``)
    expect(created.body).not.toContain('AKIALEGACYETL0000001')
    // The mention only ever appears inside a code span.
    expect(created.body?.replace(/`[^`]*`/g, '')).not.toContain('@')
    expect(created.body).toContain(`<sub>Last checked ${new Date().toISOString().slice(0, 10)}`)
    expect(created.body).toContain(
      'by [workflow run 1001](https://github.com/acme/infra/actions/runs/1001) of IAM Access Key Gate.</sub>'
    )
    expect(writes(requests)).toEqual([
      'POST /repos/acme/infra/labels 201',
      'POST /repos/acme/infra/labels 201',
      'POST /repos/acme/infra/issues 201'
    ])
    expect(r.summary).toContain(`**Tracking issue:** created [#2](${ISSUES}/2)`)
    expect(r.stdout).toContain(
      `Created tracking issue #2 for account ${ACCOUNT}: 'IAM access keys out of policy in account ${ACCOUNT}', 4 keys to fix — ${ISSUES}/2`
    )
    expect(warnings(r.stdout)).toEqual([])
  })

  it('run 2 with the same keys writes nothing', async () => {
    const r = await run(emu)
    const requests = fresh()
    expect(writes(requests)).toEqual([])
    expect(requests.filter(q => q.service === 'github').map(q => q.action)).toEqual([
      'GET /repos/acme/infra/issues'
    ])
    expect(r.outputs).toMatchObject({ 'issue-number': '2', 'issue-url': `${ISSUES}/2` })
    expect(r.summary).toContain(`**Tracking issue:** unchanged [#2](${ISSUES}/2)`)
    expect(r.code).toBe(1)
  })

  let dryLine = ''
  it('a dry run with one more violating key logs the update it would make, and writes nothing', async () => {
    emu.state.addUser(ACCOUNT, {
      name: 'new-hire',
      keys: [{ id: 'AKIANEWHIRE000000009', ageDays: 120, lastUsedDaysAgo: 2 }]
    })
    const r = await run(emu, { 'dry-run': 'true' })
    expect(writes(fresh())).toEqual([])
    dryLine = r.stdout.split('\n').find(l => l.startsWith('Would update')) ?? ''
    expect(dryLine).toBe(
      `Would update tracking issue #2 of account ${ACCOUNT}: 5 keys to fix, 1 new key named in a comment — ${ISSUES}/2`
    )
    expect(warnings(r.stdout)).toEqual([
      '::warning::dry-run is on: every step runs, but nothing is written'
    ])
    expect(r.summary).toContain(
      `**Tracking issue:** would update [#2](${ISSUES}/2) (dry run: nothing was written)`
    )
  })

  it('run 3 with that key updates the same body and comments once, naming only the new key', async () => {
    const r = await run(emu)
    expect(writes(fresh())).toEqual([
      'PATCH /repos/acme/infra/issues/2 200',
      'POST /repos/acme/infra/issues/2/comments 201'
    ])
    expect(r.stdout).toContain(dryLine.replace('Would update', 'Updated'))
    expect(openTracked(emu)).toEqual([2])
    const updated = issue(emu, 2)
    expect(updated.body).toContain('- [ ] `new-hire` `AKIA…0009`')
    expect(updated.body).toContain('- [ ] `legacy-etl` `AKIA…0001`')
    expect(updated.comments.map(c => c.body)).toEqual([
      '**1 more key out of policy** since the last update ([workflow run 1004](https://github.com/acme/infra/actions/runs/1004)):\n\n' +
        '- `new-hire` `AKIA…0009` · older than 90 days\n'
    ])
    expect(r.summary).toContain(`**Tracking issue:** updated [#2](${ISSUES}/2)`)
  })

  it('run 4, compliant, closes the issue as completed with a comment', async () => {
    for (const user of emu.state.accounts[0]?.users ?? []) {
      if (!compliantUsers.some(u => u.name === user.userName))
        for (const key of user.keys) key.status = 'Inactive'
    }
    const r = await run(emu)
    expect(r.code).toBe(0)
    expect(writes(fresh())).toEqual([
      'POST /repos/acme/infra/issues/2/comments 201',
      'PATCH /repos/acme/infra/issues/2 200'
    ])
    const closed = issue(emu, 2)
    expect(closed).toMatchObject({ state: 'closed', stateReason: 'completed' })
    expect(closed.comments.at(-1)?.body).toBe(
      'All access keys are within policy as of [workflow run 1005](https://github.com/acme/infra/actions/runs/1005).'
    )
    expect(r.outputs).toMatchObject({ 'issue-number': '2', 'issue-url': `${ISSUES}/2` })
    expect(r.summary).toContain(`**Tracking issue:** closed [#2](${ISSUES}/2)`)
  })

  it('run 5, still compliant, writes nothing', async () => {
    const r = await run(emu)
    expect(writes(fresh())).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ 'issue-number': '', 'issue-url': '' })
    expect(r.summary).toContain('**Tracking issue:** none open\n')
  })

  it('run 6 with violations again opens a new issue that links the closed one', async () => {
    const etl = emu.state.user(ACCOUNT, 'legacy-etl')
    for (const key of etl?.keys ?? []) key.status = 'Active'
    const r = await run(emu)
    expect(writes(fresh())).toEqual(['POST /repos/acme/infra/issues 201'])
    expect(r.outputs).toMatchObject({ 'issue-number': '3', 'issue-url': `${ISSUES}/3` })
    expect(openTracked(emu)).toEqual([3])
    expect(issue(emu, 3).body).toContain(
      'This follows #2, closed when the account was last within policy.'
    )
    expect(issue(emu, 2).state).toBe('closed')
  })

  it('never touched the decoy that carries the marker without the label', () => {
    expect(issue(emu, 1)).toMatchObject({ state: 'open', body: decoyBody, comments: [] })
    expect(emu.requests.filter(q => q.action.includes('/issues/1'))).toEqual([])
  })
})

describe('the tracking issue under load and failure', () => {
  let emu: Emulator | undefined
  afterEach(async () => {
    await emu?.close()
    emu = undefined
  })

  it('keeps the body of 900 violating keys under 65,536 characters with an "and N more" line', async () => {
    const account = generateAccount({
      id: ACCOUNT,
      users: 900,
      seed: 5,
      noKeyShare: 0,
      twoKeyShare: 0,
      inactiveShare: 0,
      violationShare: 1
    })
    emu = await startEmulator({ accounts: [account] })
    const r = await run(emu, { 'fail-on-violation': 'false' })
    expect(r.outputs).toMatchObject({ violations: '900', 'issue-number': '1' })
    const body = issue(emu, 1).body ?? ''
    expect(body.length).toBeLessThan(ISSUE_BODY_LIMIT)
    const listed = body.split('\n').filter(l => l.startsWith('- [ ] ')).length
    const more = /^- …and (\d+) more — see the run's summary$/m.exec(body)
    expect(listed).toBeGreaterThan(100)
    expect(Number(more?.[1])).toBe(900 - listed)
    expect(body.trimEnd().endsWith(MARKER)).toBe(true)
  })

  it('a token without issues: write gets one warning with the permissions hint; the verdict stands', async () => {
    emu = await startEmulator({
      accounts: [{ id: ACCOUNT, users: violatingUsers }],
      github: {
        faults: [
          { method: 'POST', pathPattern: '^/repos/acme/infra/(labels|issues)$', status: 403 }
        ]
      }
    })
    const r = await run(emu)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      '::error::3 of 5 access keys break policy (1 older than 90 days, 2 unused for over 45 days)'
    )
    expect(r.outputs).toMatchObject({
      compliant: 'false',
      violations: '3',
      'keys-scanned': '5',
      errors: '0',
      'issue-number': '',
      'issue-url': ''
    })
    expect(warnings(r.stdout)).toEqual([
      `::warning::Could not update the tracking issue of account ${ACCOUNT}: HttpError: Resource not accessible by integration - https://docs.github.com/rest. ` +
        "The audit's result stands. Give the token `issues: write`, for example in the job:%0A  permissions:%0A    issues: write%0A    id-token: write%0A    contents: read"
    ])
    expect(r.summary).toContain('**Tracking issue:** not updated — see the warning in the log')
    expect(emu.state.github.issues).toEqual([])
  })

  it('waits out a secondary rate limit and two 502s, and creates the issue once', async () => {
    emu = await startEmulator({
      accounts: [{ id: ACCOUNT, users: violatingUsers }],
      github: {
        faults: [
          {
            method: 'GET',
            pathPattern: '^/repos/acme/infra/issues$',
            status: 403,
            rateLimit: 'secondary',
            times: 1
          },
          { method: 'POST', pathPattern: '^/repos/acme/infra/issues$', status: 502, times: 2 }
        ]
      }
    })
    const r = await run(emu)
    expect(r.outputs['issue-number']).toBe('1')
    expect(emu.state.github.issues.map(i => i.number)).toEqual([1])
    expect(
      emu.requests.filter(q => q.action === 'POST /repos/acme/infra/issues').map(q => q.status)
    ).toEqual([502, 502, 201])
    expect(r.stdout).toMatch(
      /GitHub secondary rate limit on GET \/repos\/acme\/infra\/issues\S*: waiting 1 s, then retry 1 of 3/
    )
    expect(r.stdout).toContain('GitHub: 10 requests (3 rate-limited or server errors) in ')
    expect(warnings(r.stdout)).toEqual([])
  })

  it('dry-run logs the issue it would create and writes nothing', async () => {
    emu = await startEmulator({ accounts: [{ id: ACCOUNT, users: violatingUsers }] })
    const r = await run(emu, { 'dry-run': 'true' })
    expect(writes(emu.requests)).toEqual([])
    expect(r.stdout).toContain("Would create label 'iam-access-keys'")
    expect(r.stdout).toContain(
      `Would create a tracking issue for account ${ACCOUNT}: 'IAM access keys out of policy in account ${ACCOUNT}', 3 keys to fix`
    )
    expect(r.outputs).toMatchObject({ 'issue-number': '', 'issue-url': '' })
    expect(r.code).toBe(1)
  })
})
