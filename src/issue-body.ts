import type { Policy } from './config.js'
import { isoDate, plural, shortKeyId } from './format.js'
import { worstFirst } from './judge.js'
import type { JudgedKey, Reason } from './model.js'
import type { Report } from './report.js'
import { headline, reasonText } from './summary.js'

/**
 * The tracking issue's text, PURE: no I/O, no clock. The body is written so that it only
 * changes when the problems change: it names dates (created, last used) rather than day
 * counts, so a nightly run over the same keys renders the same body and makes no write.
 */

/** GitHub rejects an issue body over 65,536 characters. */
export const ISSUE_BODY_LIMIT = 65_536
/** What we fill at most, leaving room for GitHub counting a character differently than we do. */
export const ISSUE_BODY_BUDGET = 65_000
/** At most this many keys are named in one "new keys" comment. */
export const COMMENT_KEY_LIMIT = 20

/** The line that changes every run; it is left out when bodies are compared. */
const RUN_LINE_START = '<sub>Last checked '

/** The workflow run that writes the issue. */
export interface RunInfo {
  /** `https://github.com/acme/infra/actions/runs/123`; null outside a runner. */
  readonly url: string | null
  readonly id: string | null
  readonly at: Date
}

export interface IssueBodyInput {
  readonly report: Report
  readonly rows: readonly JudgedKey[]
  readonly policy: Policy
  readonly revealKeyIds: boolean
  readonly run: RunInfo
  /** The closed issue this one follows, when the account broke policy before. */
  readonly previous: number | null
  /** Ids of key lines someone ticked in the current body; they stay ticked. */
  readonly checked?: ReadonlySet<string>
  /** Characters the body may take; default ISSUE_BODY_BUDGET. */
  readonly budget?: number
}

/** The hidden marker that finds an account's issue again. */
export function issueMarker(accountId: string): string {
  return `<!-- iam-access-key-gate:account=${accountId} -->`
}

/** True when a body carries the account's marker (exactly: account 1 is not account 12). */
export function hasMarker(body: string | null | undefined, accountId: string): boolean {
  return (body ?? '').includes(issueMarker(accountId))
}

/**
 * Text as an inline code span. GitHub neither links `@handle` mentions nor `#123` references
 * inside code, and Markdown does not apply there, so this is how AWS data enters an issue.
 * A fence longer than any backtick run in the text keeps the span closed.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ')
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** The issue title from the `issue-title` template. */
export function renderTitle(template: string, accountId: string, alias: string | null): string {
  return template.replace(/\{account\}/g, accountId).replace(/\{alias\}/g, alias ?? accountId)
}

/** How a key line is recognised across runs: its user and its key id as the body shows it. */
export function keyLineId(row: JudgedKey, revealKeyIds: boolean): string {
  return row.accessKeyId === null
    ? row.user
    : `${row.user} ${shortKeyId(row.accessKeyId, revealKeyIds)}`
}

// A key line as renderKeyLine writes it. IAM user names and key ids hold no backticks, so
// single-backtick spans are exact.
const KEY_LINE = /^- \[([ xX])\] `([^`]+)`(?: `([^`]+)`)?/

/** The ids of the key lines of a body this action wrote, in order. */
export function listedKeys(body: string | null | undefined): string[] {
  return lines(body)
    .map(line => KEY_LINE.exec(line))
    .filter(m => m !== null)
    .map(m => (m[3] ? `${m[2]} ${m[3]}` : (m[2] as string)))
}

/** The ids of the key lines someone ticked. */
export function checkedKeys(body: string | null | undefined): Set<string> {
  const ticked = new Set<string>()
  for (const line of lines(body)) {
    const m = KEY_LINE.exec(line)
    if (m && m[1] !== ' ') ticked.add(m[3] ? `${m[2]} ${m[3]}` : (m[2] as string))
  }
  return ticked
}

const FOLLOWS = /^This follows #(\d+),/m

/** The closed issue a body says it follows, so an update keeps that link. */
export function previousIssueOf(body: string | null | undefined): number | null {
  const m = FOLLOWS.exec(normalize(body ?? ''))
  return m ? Number(m[1]) : null
}

/**
 * A body reduced to what matters for "has anything changed": line endings as GitHub may
 * store them, the run line (link and time) dropped, and ticks ignored, since a person
 * ticking a key off is not a change the action should answer with a rewrite.
 */
export function comparableBody(body: string | null | undefined): string {
  return lines(body)
    .filter(line => !line.startsWith(RUN_LINE_START))
    .map(line => line.replace(/^- \[[xX]\] /, '- [ ] ').trimEnd())
    .join('\n')
    .trim()
}

/** True when writing `next` over `current` would change nothing a reader cares about. */
export function sameContent(current: string | null | undefined, next: string): boolean {
  return comparableBody(current) === comparableBody(next)
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

function lines(body: string | null | undefined): string[] {
  return normalize(body ?? '').split('\n')
}

/** `[workflow run 123](url)`, or words for a run outside GitHub Actions. */
export function runLink(run: RunInfo): string {
  if (run.url === null) return 'a run outside GitHub Actions'
  return `[workflow run${run.id ? ` ${run.id}` : ''}](${run.url})`
}

function reasonWords(reason: Reason, row: JudgedKey, policy: Policy): string {
  // The remedy column says what to do about root keys; the summary's words would repeat it.
  return reason === 'root-key'
    ? 'the root user has access keys'
    : reasonText(reason, row, policy, true)
}

/** What to do about a violating key. */
function remedy(row: JudgedKey): string {
  if (row.reasons.includes('root-key')) return '**delete them** (root keys are never needed)'
  if (row.reasons.includes('idle')) return '**deactivate it**, then delete it'
  return '**rotate it**: create a new key, move its users over, then deactivate and delete this one'
}

/** Created and last-used as dates: a key in use shows no date, since that date moves daily. */
function keyFacts(row: JudgedKey): string {
  if (row.accessKeyId === null) return ''
  const created = row.createDate
    ? `created ${isoDate(row.createDate)}`
    : 'created on an unknown date'
  const used =
    row.lastUsedDate === null
      ? row.idleDays === null
        ? 'last use unknown'
        : 'never used'
      : row.reasons.includes('idle')
        ? `last used ${isoDate(row.lastUsedDate)}${row.lastUsedService ? ` by ${codeSpan(row.lastUsedService)}` : ''}`
        : 'in use'
  return ` — ${created}, ${used}`
}

function who(row: JudgedKey, revealKeyIds: boolean): string {
  const key =
    row.accessKeyId === null ? '' : ` ${codeSpan(shortKeyId(row.accessKeyId, revealKeyIds))}`
  return `${codeSpan(row.user)}${key}`
}

function keyLine(row: JudgedKey, input: IssueBodyInput): string {
  const ticked = input.checked?.has(keyLineId(row, input.revealKeyIds)) ? 'x' : ' '
  const why = row.reasons.map(r => reasonWords(r, row, input.policy)).join(' and ')
  return `- [${ticked}] ${who(row, input.revealKeyIds)}${keyFacts(row)} · ${why} → ${remedy(row)}\n`
}

function warningLine(row: JudgedKey, input: IssueBodyInput): string {
  const why = row.reasons.map(r => reasonWords(r, row, input.policy)).join(' and ')
  return `- ${who(row, input.revealKeyIds)}${keyFacts(row)} · ${why}\n`
}

/** Words for the policy in force, shared by the body and the README's example. */
export function policyLine(policy: Policy): string {
  const warn = [
    policy.warnAgeDays !== null ? `warns after ${policy.warnAgeDays} days` : '',
    policy.warnIdleDays !== null ? `warns when unused for over ${policy.warnIdleDays} days` : ''
  ].filter(Boolean)
  return (
    `**Policy:** an active key breaks it when older than **${policy.maxAgeDays} days** or unused for over ` +
    `**${policy.maxIdleDays} days** (a never-used key counts from its creation)${warn.length ? `; it ${warn.join(' and ')}` : ''}.`
  )
}

/**
 * Renders the body of an account's tracking issue: the verdict, a task list of the keys to
 * fix (worst first), warnings folded below, the policy, the run, and the marker. Lists are
 * cut with "and N more" so the body stays within GitHub's limit.
 */
export function renderIssueBody(input: IssueBodyInput): string {
  const { report } = input
  const budget = input.budget ?? ISSUE_BODY_BUDGET
  const h = headline(report)
  const alias = report.accountAlias ? ` (${codeSpan(report.accountAlias)})` : ''
  const head =
    `## ${h.icon} IAM access keys: ${h.text} — account ${report.account}${alias}\n\n` +
    `${policyLine(input.policy)}\n\n`

  const tail: string[] = []
  if (!report.complete) {
    tail.push(
      `> [!WARNING]\n> The audit is incomplete: ${plural(report.errors.length, 'call')} failed, so keys it could not read may break policy too. See the run's summary.\n\n`
    )
  }
  if (input.previous !== null) {
    tail.push(
      `This follows #${input.previous}, closed when the account was last within policy.\n\n`
    )
  }
  tail.push(
    `${RUN_LINE_START}${input.run.at.toISOString().slice(0, 16).replace('T', ' ')} UTC by ${runLink(input.run)} of IAM Access Key Gate.</sub>\n` +
      `${issueMarker(report.account)}\n`
  )
  const tailText = tail.join('')

  let used = head.length + tailText.length
  const more = (n: number): string => `- …and ${n} more — see the run's summary\n`
  const list = (
    rows: readonly JudgedKey[],
    line: (row: JudgedKey) => string,
    open: string,
    close: string
  ): string => {
    if (rows.length === 0) return ''
    let text = open
    used += open.length + close.length + more(rows.length).length
    let shown = 0
    for (const row of rows) {
      const next = line(row)
      if (used + next.length > budget) break
      text += next
      used += next.length
      shown++
    }
    if (shown < rows.length) text += more(rows.length - shown)
    return text + close
  }

  const violations = worstFirst(
    input.rows.filter(r => r.verdict === 'violation'),
    input.policy
  )
  const warnings = worstFirst(
    input.rows.filter(r => r.verdict === 'warning'),
    input.policy
  )
  const fix = list(
    violations,
    row => keyLine(row, input),
    `### Keys to fix (${violations.length})\n\nTick a key once it is fixed; the next run drops fixed keys from this list and closes this issue when none is left.\n\n`,
    '\n'
  )
  const warn = list(
    warnings,
    row => warningLine(row, input),
    `<details><summary>Warnings (${warnings.length}): not out of policy yet</summary>\n\n`,
    '\n</details>\n\n'
  )
  return head + fix + warn + tailText
}

/** The comment that tells watchers about keys new since the last body. */
export function newKeysComment(
  rows: readonly JudgedKey[],
  policy: Policy,
  revealKeyIds: boolean,
  run: RunInfo
): string {
  const shown = rows.slice(0, COMMENT_KEY_LIMIT)
  const list = shown
    .map(
      row =>
        `- ${who(row, revealKeyIds)} · ${row.reasons.map(r => reasonWords(r, row, policy)).join(' and ')}\n`
    )
    .join('')
  const rest = rows.length > shown.length ? `- …and ${rows.length - shown.length} more\n` : ''
  return `**${plural(rows.length, 'more key')} out of policy** since the last update (${runLink(run)}):\n\n${list}${rest}`
}

/** The comment an issue gets when it is closed. */
export function closeComment(run: RunInfo): string {
  return `All access keys are within policy as of ${runLink(run)}.`
}
