import type { AccountAudit } from './account.js'
import type { Config } from './config.js'
import { errorMessage } from './errors.js'
import { plural } from './format.js'
import {
  checkedKeys,
  closeComment,
  hasMarker,
  keyLineId,
  listedKeys,
  newKeysComment,
  previousIssueOf,
  renderIssueBody,
  renderTitle,
  sameContent,
  type RunInfo
} from './issue-body.js'

/** An issue as the lifecycle needs it. */
export interface IssueRecord {
  readonly number: number
  readonly url: string
  readonly title: string
  readonly body: string | null
}

/** The GitHub calls of the lifecycle; Octokit in production, plain data in unit tests. */
export interface IssueApi {
  /** Every open issue (not pull request) that carries the label, across all pages. */
  openIssues(label: string): Promise<IssueRecord[]>
  /** The most recently created closed issue with the label that `match` accepts. */
  lastClosed(label: string, match: (issue: IssueRecord) => boolean): Promise<IssueRecord | null>
  labelExists(name: string): Promise<boolean>
  /** Creates a label; one that exists by now is not an error. */
  createLabel(name: string, color: string, description: string): Promise<void>
  createIssue(issue: {
    title: string
    body: string
    labels: readonly string[]
    assignees: readonly string[]
  }): Promise<IssueRecord>
  updateIssue(
    number: number,
    change: { body?: string; state?: 'closed'; stateReason?: 'completed' }
  ): Promise<IssueRecord>
  comment(number: number, body: string): Promise<void>
}

export type IssueAction = 'created' | 'updated' | 'unchanged' | 'closed' | 'none' | 'skipped'

/** What happened to an account's tracking issue. */
export interface IssueOutcome {
  readonly action: IssueAction
  /** The issue touched or checked; null when there is none (or it would only be created). */
  readonly number: number | null
  readonly url: string | null
  /** One line for the log. */
  readonly message: string
  /** True when the writes were only logged. */
  readonly dryRun: boolean
  /** Set when a GitHub call failed; the lifecycle then stopped. */
  readonly error?: string
}

export interface IssueLog {
  info: (message: string) => void
  warning: (message: string) => void
}

export type IssueConfig = Pick<
  Config,
  | 'createIssue'
  | 'dryRun'
  | 'issueTitle'
  | 'issueLabels'
  | 'issueAssignees'
  | 'policy'
  | 'revealKeyIds'
>

export interface TrackInput {
  readonly config: IssueConfig
  readonly audit: Pick<AccountAudit, 'accountId' | 'report' | 'rows'>
  readonly run: RunInfo
}

/** The colour of labels the action creates (GitHub's red for bugs). */
export const LABEL_COLOR = 'd73a4a'

/** The `permissions:` lines a job needs for the issue calls. */
export const ISSUES_PERMISSION_HINT =
  'Give the token `issues: write`, for example in the job:\n  permissions:\n    issues: write\n    id-token: write\n    contents: read'

/** The outcome when create-issue is off. */
export const ISSUE_OFF: IssueOutcome = {
  action: 'skipped',
  number: null,
  url: null,
  message: 'create-issue is off',
  dryRun: false
}

/**
 * Keeps one tracking issue per account: creates it when keys break policy, updates its body
 * in place when they change (with a comment naming keys that are new), leaves it alone when
 * nothing changed, and closes it once a complete audit finds the account within policy.
 * A failed GitHub call becomes one warning; it never changes the audit's verdict.
 */
export async function trackIssue(
  input: TrackInput,
  api: IssueApi,
  log: IssueLog
): Promise<IssueOutcome> {
  if (!input.config.createIssue) return ISSUE_OFF
  try {
    return await lifecycle(input, api, log)
  } catch (error) {
    const message = githubFailure(input.audit.accountId, error)
    log.warning(message)
    return {
      action: 'skipped',
      number: null,
      url: null,
      message,
      dryRun: input.config.dryRun,
      error: message
    }
  }
}

async function lifecycle(input: TrackInput, api: IssueApi, log: IssueLog): Promise<IssueOutcome> {
  const { config, audit, run } = input
  const { report, rows } = audit
  const account = audit.accountId
  const dry = config.dryRun
  const label = config.issueLabels[0] as string
  const outcome = (
    action: IssueAction,
    issue: Pick<IssueRecord, 'number' | 'url'> | null,
    message: string
  ): IssueOutcome => {
    log.info(message)
    return { action, number: issue?.number ?? null, url: issue?.url ?? null, message, dryRun: dry }
  }

  const open = (await api.openIssues(label))
    .filter(issue => hasMarker(issue.body, account))
    .sort((a, b) => a.number - b.number)
  const current = open[0] ?? null
  if (open.length > 1) {
    log.info(
      `Account ${account} has ${open.length} open tracking issues (${open.map(i => `#${i.number}`).join(', ')}); ` +
        `keeping #${current?.number} up to date. Close the others.`
    )
  }
  const violations = rows.filter(r => r.verdict === 'violation')
  const keys = plural(violations.length, 'key')

  if (violations.length === 0) {
    if (!report.complete) {
      // An incomplete audit cannot show the keys were fixed: fail closed, keep the issue open.
      return current
        ? outcome(
            'unchanged',
            current,
            `Tracking issue #${current.number} of account ${account} stays open: the audit is incomplete, so it cannot show the keys were fixed`
          )
        : outcome(
            'none',
            null,
            `No tracking issue for account ${account}: no violation among what the incomplete audit read`
          )
    }
    if (!current) {
      return outcome(
        'none',
        null,
        `No open tracking issue for account ${account}, and none is needed`
      )
    }
    if (!dry) {
      await api.comment(current.number, closeComment(run))
      await api.updateIssue(current.number, { state: 'closed', stateReason: 'completed' })
    }
    return outcome(
      'closed',
      current,
      `${dry ? 'Would close' : 'Closed'} tracking issue #${current.number} of account ${account}: all access keys are within policy — ${current.url}`
    )
  }

  const title = renderTitle(config.issueTitle, account, report.accountAlias)
  const render = (previous: number | null, checked: ReadonlySet<string>): string =>
    renderIssueBody({
      report,
      rows,
      policy: config.policy,
      revealKeyIds: config.revealKeyIds,
      run,
      previous,
      checked
    })

  if (current) {
    const body = render(previousIssueOf(current.body), checkedKeys(current.body))
    // The title is only set on creation: people rename issues, and a rename is not a change.
    if (sameContent(current.body, body)) {
      return outcome(
        'unchanged',
        current,
        `Tracking issue #${current.number} of account ${account} is up to date (${keys} to fix): no write`
      )
    }
    const before = new Set(listedKeys(current.body))
    const fresh = violations.filter(r => !before.has(keyLineId(r, config.revealKeyIds)))
    if (!dry) {
      await api.updateIssue(current.number, { body })
      if (fresh.length > 0) {
        await api.comment(
          current.number,
          newKeysComment(fresh, config.policy, config.revealKeyIds, run)
        )
      }
    }
    const news = fresh.length > 0 ? `, ${plural(fresh.length, 'new key')} named in a comment` : ''
    return outcome(
      'updated',
      current,
      `${dry ? 'Would update' : 'Updated'} tracking issue #${current.number} of account ${account}: ${keys} to fix${news} — ${current.url}`
    )
  }

  const previous = await api.lastClosed(label, issue => hasMarker(issue.body, account))
  for (const [i, name] of config.issueLabels.entries()) {
    if (await api.labelExists(name)) continue
    if (dry) {
      log.info(`Would create label '${name}'`)
      continue
    }
    await api.createLabel(
      name,
      LABEL_COLOR,
      i === 0 ? 'IAM access keys out of policy, tracked by IAM Access Key Gate' : ''
    )
    log.info(`Created label '${name}'`)
  }
  const body = render(previous?.number ?? null, new Set())
  const follows = previous ? `, following #${previous.number}` : ''
  if (dry) {
    return outcome(
      'created',
      null,
      `Would create a tracking issue for account ${account}: '${title}', ${keys} to fix${follows}`
    )
  }
  const issue = { title, body, labels: config.issueLabels, assignees: config.issueAssignees }
  let created: IssueRecord
  try {
    created = await api.createIssue(issue)
  } catch (error) {
    // GitHub refuses the whole issue when one assignee cannot be assigned; the issue
    // matters more than who is on it.
    if (statusOf(error) !== 422 || issue.assignees.length === 0) throw error
    log.warning(
      `Could not assign the tracking issue of account ${account} to ${issue.assignees.join(', ')} ` +
        `(${errorMessage(error)}); creating it without assignees. Check issue-assignees: each must be able to be assigned issues in this repository.`
    )
    created = await api.createIssue({ ...issue, assignees: [] })
  }
  return outcome(
    'created',
    created,
    `Created tracking issue #${created.number} for account ${account}: '${title}', ${keys} to fix${follows} — ${created.url}`
  )
}

/** The status and words of a failed GitHub call, when it has them. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** The one warning for a failed issue call; a 403 says which `permissions:` line to add. */
export function githubFailure(accountId: string, error: unknown): string {
  const status = statusOf(error)
  const text = errorMessage(error)
  const base = `Could not update the tracking issue of account ${accountId}: ${text}. The audit's result stands.`
  if (status === 403 && !/rate limit/i.test(text)) return `${base} ${ISSUES_PERMISSION_HINT}`
  return base
}

/** The job summary's line about the issue, or '' when the feature is off. */
export function issueSummaryLine(outcome: IssueOutcome): string {
  const ref = outcome.number !== null && outcome.url ? `[#${outcome.number}](${outcome.url})` : ''
  const dry = outcome.dryRun ? ' (dry run: nothing was written)' : ''
  switch (outcome.action) {
    case 'created':
      return `**Tracking issue:** ${outcome.dryRun ? 'would create one' : `created ${ref}`}${dry}`
    case 'updated':
      return `**Tracking issue:** ${outcome.dryRun ? 'would update' : 'updated'} ${ref}${dry}`
    case 'closed':
      return `**Tracking issue:** ${outcome.dryRun ? 'would close' : 'closed'} ${ref}${dry}`
    case 'unchanged':
      return `**Tracking issue:** unchanged ${ref}`
    case 'none':
      return '**Tracking issue:** none open'
    case 'skipped':
      return outcome.error ? '**Tracking issue:** not updated — see the warning in the log' : ''
  }
}

/** The summary with the issue line under its heading, where a reader looks first. */
export function withIssueLine(summary: string, outcome: IssueOutcome): string {
  const line = issueSummaryLine(outcome)
  if (line === '') return summary
  const end = summary.indexOf('\n\n')
  return end === -1
    ? `${summary}\n\n${line}\n`
    : `${summary.slice(0, end + 2)}${line}\n\n${summary.slice(end + 2)}`
}
