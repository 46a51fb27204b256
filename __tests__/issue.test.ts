import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../src/config.js'
import { issueMarker, renderIssueBody, type RunInfo } from '../src/issue-body.js'
import {
  githubFailure,
  ISSUE_OFF,
  trackIssue,
  withIssueLine,
  type IssueApi,
  type IssueRecord,
  type TrackInput
} from '../src/issue.js'
import { judge } from '../src/judge.js'
import type { KeyRecord } from '../src/model.js'
import { buildReport } from '../src/report.js'
import { makeInventory, makeKey, NOW, POLICY } from './helpers/keys.js'

const RUN: RunInfo = { url: 'https://github.com/acme/infra/actions/runs/9', id: '9', at: NOW }
const MARKER = issueMarker('123456789012')
const TITLE = 'IAM access keys out of policy in account 123456789012'

/** GitHub in memory: open and closed issues, labels, and every write in order. */
function fakeGithub(
  issues: Array<IssueRecord & { state?: 'open' | 'closed' }> = [],
  labels: string[] = []
) {
  const calls: string[] = []
  const api: IssueApi = {
    openIssues: async () => issues.filter(i => i.state !== 'closed'),
    lastClosed: async (_label, match) =>
      [...issues].reverse().find(i => i.state === 'closed' && match(i)) ?? null,
    labelExists: async name => labels.includes(name),
    createLabel: async name => {
      calls.push(`label ${name}`)
      labels.push(name)
    },
    createIssue: async issue => {
      const created = {
        number: 100,
        url: 'https://github.com/acme/infra/issues/100',
        title: issue.title,
        body: issue.body
      }
      calls.push(`create ${issue.labels.join(',')} ${issue.assignees.join(',')}`)
      issues.push(created)
      return created
    },
    updateIssue: async (number, change) => {
      calls.push(`update #${number} ${Object.keys(change).join(',')}`)
      const issue = issues.find(i => i.number === number) as IssueRecord
      return issue
    },
    comment: async (number, body) => {
      calls.push(`comment #${number} ${body.split('\n')[0]}`)
    }
  }
  return { api, calls }
}

function logger() {
  const lines: string[] = []
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`info ${m}`),
      warning: (m: string) => lines.push(`warning ${m}`)
    }
  }
}

function track(
  keys: KeyRecord[],
  inputs: Record<string, string> = {},
  extra: Parameters<typeof makeInventory>[1] = {}
): TrackInput {
  const inventory = makeInventory(keys, extra)
  const rows = judge(inventory, POLICY, NOW)
  const values: Record<string, string> = {
    'create-issue': 'true',
    'github-token': 'ghs_x',
    ...inputs
  }
  const config = parseConfig(name => values[name] ?? '')
  return {
    config,
    audit: {
      accountId: '123456789012',
      report: buildReport(inventory, rows, POLICY, NOW, false),
      rows
    },
    run: RUN
  }
}

const old = (): KeyRecord =>
  makeKey({ user: 'legacy', accessKeyId: 'AKIAOLD0000000000001', ageDays: 200, lastUsedDaysAgo: 1 })
const fine = (): KeyRecord =>
  makeKey({ user: 'fine', accessKeyId: 'AKIAFINE000000000002', ageDays: 5, lastUsedDaysAgo: 1 })

describe('trackIssue', () => {
  it('does nothing when create-issue is off', async () => {
    const { api, calls } = fakeGithub()
    const input = track([old()], { 'create-issue': 'false' })
    expect(await trackIssue(input, api, logger().log)).toBe(ISSUE_OFF)
    expect(calls).toEqual([])
  })

  it('creates missing labels, then the issue with its labels and assignees', async () => {
    const { api, calls } = fakeGithub([], ['security'])
    const { log, lines } = logger()
    const outcome = await trackIssue(
      track([old()], { 'issue-assignees': 'octocat,@mona' }),
      api,
      log
    )
    expect(calls).toEqual(['label iam-access-keys', 'create iam-access-keys,security octocat,mona'])
    expect(outcome).toEqual({
      action: 'created',
      number: 100,
      url: 'https://github.com/acme/infra/issues/100',
      message: `Created tracking issue #100 for account 123456789012: '${TITLE}', 1 key to fix — https://github.com/acme/infra/issues/100`,
      dryRun: false
    })
    expect(lines).toEqual([`info Created label 'iam-access-keys'`, `info ${outcome.message}`])
  })

  it('creates the issue without assignees when GitHub refuses one of them', async () => {
    const { api, calls } = fakeGithub([], ['iam-access-keys', 'security'])
    const create = api.createIssue
    api.createIssue = async issue => {
      if (issue.assignees.length > 0)
        throw Object.assign(new Error('Validation Failed'), { name: 'HttpError', status: 422 })
      return create(issue)
    }
    const { log, lines } = logger()
    const outcome = await trackIssue(track([old()], { 'issue-assignees': 'ghost' }), api, log)
    expect(calls).toEqual(['create iam-access-keys,security '])
    expect(outcome).toMatchObject({ action: 'created', number: 100 })
    expect(lines[0]).toBe(
      'warning Could not assign the tracking issue of account 123456789012 to ghost (HttpError: Validation Failed); ' +
        'creating it without assignees. Check issue-assignees: each must be able to be assigned issues in this repository.'
    )
  })

  it('keeps an open issue open while the audit is incomplete, even with no violation read', async () => {
    const { api, calls } = fakeGithub([{ number: 5, url: 'u5', title: TITLE, body: MARKER }])
    const outcome = await trackIssue(
      track(
        [fine()],
        {},
        {
          errors: [{ user: 'bob', operation: 'ListAccessKeys', message: 'denied' }],
          complete: false
        }
      ),
      api,
      logger().log
    )
    expect(calls).toEqual([])
    expect(outcome).toMatchObject({
      action: 'unchanged',
      number: 5,
      message:
        'Tracking issue #5 of account 123456789012 stays open: the audit is incomplete, so it cannot show the keys were fixed'
    })
  })

  it('updates the oldest of two open issues and says so', async () => {
    const { api, calls } = fakeGithub([
      { number: 9, url: 'u9', title: TITLE, body: `old ${MARKER}` },
      { number: 4, url: 'u4', title: TITLE, body: `old ${MARKER}` }
    ])
    const { log, lines } = logger()
    await trackIssue(track([old()]), api, log)
    expect(calls).toEqual([
      'update #4 body',
      'comment #4 **1 more key out of policy** since the last update ([workflow run 9](https://github.com/acme/infra/actions/runs/9)):'
    ])
    expect(lines[0]).toBe(
      'info Account 123456789012 has 2 open tracking issues (#4, #9); keeping #4 up to date. Close the others.'
    )
  })

  it('leaves the title of an unchanged issue alone, even when people renamed it', async () => {
    const input = track([old()])
    const body = renderIssueBody({
      report: input.audit.report,
      rows: input.audit.rows,
      policy: POLICY,
      revealKeyIds: false,
      run: RUN,
      previous: null
    })
    const { api, calls } = fakeGithub([{ number: 3, url: 'u3', title: 'Rotate these!', body }])
    const outcome = await trackIssue(input, api, logger().log)
    expect(calls).toEqual([])
    expect(outcome.action).toBe('unchanged')
  })

  it('in a dry run logs the close it would make and writes nothing', async () => {
    const { api, calls } = fakeGithub([{ number: 3, url: 'u3', title: TITLE, body: MARKER }])
    const outcome = await trackIssue(track([fine()], { 'dry-run': 'true' }), api, logger().log)
    expect(calls).toEqual([])
    expect(outcome).toMatchObject({
      action: 'closed',
      number: 3,
      dryRun: true,
      message:
        'Would close tracking issue #3 of account 123456789012: all access keys are within policy — u3'
    })
  })

  it('turns a failed call into one warning and an outcome without an issue', async () => {
    const { api } = fakeGithub()
    api.openIssues = async () => {
      throw Object.assign(new Error('Resource not accessible by integration'), {
        name: 'HttpError',
        status: 403
      })
    }
    const { log, lines } = logger()
    const outcome = await trackIssue(track([old()]), api, log)
    expect(lines).toEqual([
      "warning Could not update the tracking issue of account 123456789012: HttpError: Resource not accessible by integration. The audit's result stands. " +
        'Give the token `issues: write`, for example in the job:\n  permissions:\n    issues: write\n    id-token: write\n    contents: read'
    ])
    expect(outcome).toMatchObject({ action: 'skipped', number: null, url: null })
  })
})

describe('githubFailure', () => {
  it('gives no permissions hint for a rate limit or a server error', () => {
    const limited = Object.assign(new Error('You have exceeded a secondary rate limit'), {
      status: 403
    })
    expect(githubFailure('1', limited)).toBe(
      "Could not update the tracking issue of account 1: You have exceeded a secondary rate limit. The audit's result stands."
    )
    expect(
      githubFailure('1', Object.assign(new Error('Bad Gateway'), { status: 502 }))
    ).not.toContain('permissions')
  })
})

describe('withIssueLine', () => {
  it('puts the issue line under the heading, and nothing when the feature is off', () => {
    const summary = '## ❌ heading\n\ntotals\n'
    expect(
      withIssueLine(summary, {
        action: 'updated',
        number: 12,
        url: 'https://x/12',
        message: '',
        dryRun: false
      })
    ).toBe('## ❌ heading\n\n**Tracking issue:** updated [#12](https://x/12)\n\ntotals\n')
    expect(withIssueLine(summary, ISSUE_OFF)).toBe(summary)
  })
})
