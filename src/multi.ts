import type { AccountAudit } from './account.js'
import type { Config } from './config.js'
import { escapeCell, escapeHtml, plural } from './format.js'
import { failureMessage } from './gate.js'
import type { Report } from './report.js'
import {
  SUMMARY_BUDGET_BYTES,
  byteLength,
  deactivationNote,
  headline,
  renderSummary
} from './summary.js'
import { withIssueLine, type IssueOutcome } from './issue.js'

/** One account of a many-account run: its audit, or why it could not be audited. */
export type AccountOutcome =
  | { readonly accountId: string; readonly audit: AccountAudit; readonly error: null }
  | { readonly accountId: string; readonly audit: null; readonly error: string }

/** Totals across accounts; an account that could not be audited counts as one error. */
export interface CombinedTotals {
  accounts: number
  failedAccounts: number
  users: number
  keys: number
  violations: number
  warnings: number
  errors: number
  complete: boolean
}

export function combinedTotals(outcomes: readonly AccountOutcome[]): CombinedTotals {
  const t: CombinedTotals = {
    accounts: outcomes.length,
    failedAccounts: 0,
    users: 0,
    keys: 0,
    violations: 0,
    warnings: 0,
    errors: 0,
    complete: true
  }
  for (const o of outcomes) {
    if (o.audit === null) {
      t.failedAccounts++
      t.errors++
      t.complete = false
      continue
    }
    const r = o.audit.report
    t.users += r.totals.users
    t.keys += r.totals.keys
    t.violations += r.totals.violation
    t.warnings += r.totals.warning
    t.errors += r.errors.length
    if (!r.complete) t.complete = false
  }
  return t
}

/** The combined report: every account's report in full, and the accounts that failed. */
export interface CombinedReport {
  readonly schemaVersion: 1
  readonly generatedAt: string
  readonly complete: boolean
  readonly totals: CombinedTotals
  readonly accounts: Report[]
  readonly failedAccounts: Array<{ account: string; error: string }>
}

export function buildCombinedReport(
  outcomes: readonly AccountOutcome[],
  now: Date
): CombinedReport {
  const totals = combinedTotals(outcomes)
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    complete: totals.complete,
    totals,
    accounts: outcomes.flatMap(o => (o.audit ? [o.audit.report] : [])),
    failedAccounts: outcomes.flatMap(o =>
      o.audit === null ? [{ account: o.accountId, error: o.error }] : []
    )
  }
}

/** The HTML anchor of an account's section, linked from the totals table. */
export const anchorOf = (accountId: string): string => `account-${accountId}`

/**
 * The job summary of a many-account run: the verdict, a totals table with one line per
 * account (linked to its section; an account that could not be audited is an `error` line),
 * then each account's own summary. The 1 MiB budget is shared: each section gets an equal
 * part of what the table leaves, and cuts its own tables with a pointer to its report file.
 */
export function renderManySummary(
  outcomes: readonly AccountOutcome[],
  config: Config,
  now: Date,
  seconds: number,
  combinedReportPath: string,
  issues: ReadonlyMap<string, IssueOutcome> = new Map(),
  budgetBytes: number = SUMMARY_BUDGET_BYTES
): string {
  const t = combinedTotals(outcomes)
  const icon = t.violations > 0 || t.failedAccounts > 0 ? '❌' : t.complete ? '✅' : '⚠️'
  const verdict =
    t.violations > 0
      ? `${plural(t.violations, 'key')} break${t.violations === 1 ? 's' : ''} policy`
      : t.complete
        ? `All ${plural(t.keys, 'access key')} within policy`
        : 'Audit incomplete, no violation among what was read'
  const failed = t.failedAccounts > 0 ? `, ${t.failedAccounts} could not be audited` : ''
  let head =
    `## ${icon} IAM access keys: ${verdict} — ${plural(t.accounts, 'account')}${failed}\n\n` +
    `| Account | Verdict | Users | Keys | Violations | Warnings | Errors |\n|---|---|--:|--:|--:|--:|--:|\n`
  for (const o of outcomes) {
    if (o.audit === null) {
      head += `| ${o.accountId} | ❌ error: ${escapeCell(o.error)} | — | — | — | — | 1 |\n`
      continue
    }
    const r = o.audit.report
    const h = headline(r)
    const alias = r.accountAlias ? ` (${escapeCell(r.accountAlias)})` : ''
    head +=
      `| [${o.accountId}](#${anchorOf(o.accountId)})${alias} | ${h.icon} ${escapeCell(h.text)} | ${r.totals.users} | ` +
      `${r.totals.keys} | ${r.totals.violation} | ${r.totals.warning} | ${r.errors.length} |\n`
  }
  head +=
    `| **Total** | | **${t.users}** | **${t.keys}** | **${t.violations}** | **${t.warnings}** | **${t.errors}** |\n\n` +
    `Combined report: \`${escapeCell(combinedReportPath)}\` · ${seconds.toFixed(1)} s\n\n`
  const audited = outcomes.filter(o => o.audit !== null)
  const perSection = Math.floor(
    (budgetBytes - byteLength(head)) / Math.max(1, audited.length) - 200
  )
  const rendered = audited.map(o => {
    const a = o.audit as AccountAudit
    const section = renderSummary({
      report: a.report,
      rows: a.rows,
      policy: config.policy,
      now,
      revealKeyIds: config.revealKeyIds,
      reportPath: a.reportPath,
      seconds,
      budgetBytes: Math.max(perSection, 2000),
      deactivation: deactivationNote(config)
    })
    const issue = issues.get(o.accountId)
    return `<a id="${anchorOf(o.accountId)}"></a>\n\n${issue ? withIssueLine(section, issue) : section}\n`
  })
  const errors = outcomes
    .filter(o => o.audit === null)
    .map(o => `- Account ${o.accountId}: <code>${escapeHtml(o.error)}</code>\n`)
  let text =
    head + (errors.length ? `### Accounts that could not be audited\n\n${errors.join('')}\n` : '')
  // A section's headings and totals are written whatever its share, so with very many accounts
  // the shares alone could pass the limit: stop adding sections before the budget runs out.
  const pointer = (left: number): string =>
    `\n_…and ${plural(left, 'more account section')} not shown here (the summary is limited to 1 MiB): see the combined report._\n`
  let used = byteLength(text) + byteLength(pointer(rendered.length))
  for (let i = 0; i < rendered.length; i++) {
    const bytes = byteLength(rendered[i] as string)
    if (used + bytes > budgetBytes) {
      text += pointer(rendered.length - i)
      break
    }
    text += rendered[i]
    used += bytes
  }
  return text
}

/** Why a many-account run fails, in one line; null when it passes. */
export function manyFailureMessage(
  outcomes: readonly AccountOutcome[],
  config: Config
): string | null {
  const parts: string[] = []
  for (const o of outcomes) {
    if (o.audit === null) {
      if (config.failOnError) parts.push(`Account ${o.accountId} could not be audited: ${o.error}`)
      continue
    }
    const why = [
      failureMessage(o.audit.report, o.audit.rows, config.policy, config),
      o.audit.reportWriteError
    ].filter(Boolean)
    if (why.length) parts.push(`Account ${o.accountId}: ${why.join('; ')}`)
  }
  return parts.length ? parts.join('\n') : null
}
