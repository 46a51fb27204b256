import type { Policy } from './config.js'
import { daysAgo, escapeCell, escapeHtml, isoDate, plural, shortKeyId } from './format.js'
import { worstFirst } from './judge.js'
import type { JudgedKey, Reason } from './model.js'
import type { Report } from './report.js'

/** GitHub rejects a step summary over 1 MiB; we stay well below, leaving room for a footer. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024
export const SUMMARY_BUDGET_BYTES = 1_000_000

export interface SummaryInput {
  readonly report: Report
  readonly rows: readonly JudgedKey[]
  readonly policy: Policy
  readonly now: Date
  readonly revealKeyIds: boolean
  readonly reportPath: string
  readonly seconds: number
  readonly budgetBytes?: number
}

/** The verdict of a run in one line, for the heading, the log and the failure message. */
export function headline(report: Report): { icon: string; text: string } {
  const v = report.totals.violation
  const keys = plural(report.totals.keys, 'access key')
  if (v > 0 && !report.complete)
    return {
      icon: '❌',
      text: `${plural(v, 'key')} break${v === 1 ? 's' : ''} policy, and the audit is incomplete`
    }
  if (v > 0) return { icon: '❌', text: `${plural(v, 'key')} break${v === 1 ? 's' : ''} policy` }
  if (!report.complete)
    return {
      icon: '⚠️',
      text: `Audit incomplete: ${plural(report.errors.length, 'read error')}, no violation among what was read`
    }
  return { icon: '✅', text: `All ${keys} within policy` }
}

/** A reason in words, with the numbers that prove it. */
export function reasonText(reason: Reason, row: JudgedKey, policy: Policy): string {
  const warn = row.verdict === 'warning'
  switch (reason) {
    case 'age':
      return `older than ${warn ? policy.warnAgeDays : policy.maxAgeDays} days`
    case 'idle':
      return row.lastUsedDate === null
        ? `never used in ${row.idleDays} days`
        : `unused for over ${warn ? policy.warnIdleDays : policy.maxIdleDays} days`
    case 'root-key':
      return 'the root user has access keys: delete them'
    case 'unreadable':
      return row.accessKeyId === null
        ? 'its access keys could not be listed'
        : 'its last use could not be read'
  }
}

function lastUsedCell(row: JudgedKey, now: Date): string {
  if (row.accessKeyId === null) return '—'
  if (row.idleDays === null && row.lastUsedDate === null) return 'unknown'
  if (row.lastUsedDate === null) return 'never'
  const source = row.lastUsedSource === 'credential-report' ? ' <sub>credential report</sub>' : ''
  return `${isoDate(row.lastUsedDate)} (${daysAgo(row.lastUsedDate, now)})${source}`
}

/**
 * Where the last-used dates came from, when the credential report was asked for; and why keys
 * created since the report may be missing from the tables without changing the verdict.
 */
export function credentialReportLine(report: Report): string {
  const cr = report.credentialReport
  if (!cr) return ''
  if (cr.generatedAt === null)
    return `Last use: asked live (GetAccessKeyLastUsed) for every key — the credential report could not be used: ${escapeCell(cr.fallbackReason ?? 'unknown reason')}.\n\n`
  const generated = cr.generatedAt.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')
  const skipped = cr.usersWithoutKeyInReport + cr.usersCreatedSinceReport
  return (
    `Last use: from the IAM credential report generated ${generated} for ${plural(cr.keysFromReport, 'key')} it shows used within the idle thresholds ` +
    `(a key's last use can only be more recent than the report says); asked live (GetAccessKeyLastUsed) for ${plural(cr.keysAskedLive, 'key')}. ` +
    `Ages always come from ListAccessKeys. ` +
    (skipped > 0
      ? `The keys of ${plural(skipped, 'user')} were not listed (${cr.usersWithoutKeyInReport} without a key in the report, ${cr.usersCreatedSinceReport} created since): ` +
        `a key created after the report was generated may be missing from this summary, but it is younger than the report, so it is neither older than ` +
        `${report.policy.maxAgeDays} days nor unused for over ${report.policy.maxIdleDays} days and cannot break policy.\n\n`
      : `Keys created after the report was generated would be younger than the report: they cannot break policy.\n\n`)
  )
}

const HEADER =
  '| User | Key | Status | Age | Last used | Service | Region | Why |\n|---|---|---|--:|---|---|---|---|\n'

function rowLine(row: JudgedKey, input: SummaryInput): string {
  const path = row.userPath && row.userPath !== '/' ? ` <sub>${escapeCell(row.userPath)}</sub>` : ''
  const key =
    row.accessKeyId === null
      ? '—'
      : `<code>${escapeCell(shortKeyId(row.accessKeyId, input.revealKeyIds))}</code>`
  const age = row.ageDays === null ? '—' : plural(row.ageDays, 'day')
  const why =
    row.reasons.map(r => escapeCell(reasonText(r, row, input.policy))).join('; ') || row.verdict
  return `| ${escapeCell(row.user)}${path} | ${key} | ${row.status ?? '—'} | ${age} | ${lastUsedCell(row, input.now)} | ${escapeCell(row.lastUsedService ?? '—')} | ${escapeCell(row.lastUsedRegion ?? '—')} | ${why} |\n`
}

/**
 * Renders the job summary of one account. The verdict comes first, then the keys to fix,
 * worst first, then warnings, errors, and every other key folded away. When the tables would
 * pass the byte budget, they are cut with a line that points to the report file.
 */
export function renderSummary(input: SummaryInput): string {
  const { report, policy } = input
  const budget = input.budgetBytes ?? SUMMARY_BUDGET_BYTES
  const h = headline(report)
  const alias = report.accountAlias ? ` (${escapeCell(report.accountAlias)})` : ''
  const t = report.totals
  const parts: string[] = []
  parts.push(`## ${h.icon} IAM access keys: ${h.text} — account ${report.account}${alias}\n\n`)
  parts.push(
    `**${plural(t.keys, 'key')}** of **${plural(t.users, 'user')}**: ${t.violation} violation${t.violation === 1 ? '' : 's'} · ` +
      `${t.warning} warning${t.warning === 1 ? '' : 's'} · ${t.ok} ok · ${t.inactive} inactive · ${t.exempt} exempt · ` +
      `${t.error} error${t.error === 1 ? '' : 's'}\n\n`
  )
  const warnPolicy = [
    policy.warnAgeDays !== null ? `warn after ${policy.warnAgeDays} days` : '',
    policy.warnIdleDays !== null ? `warn when unused for over ${policy.warnIdleDays} days` : ''
  ].filter(Boolean)
  parts.push(
    `Policy: an active key breaks it when older than **${policy.maxAgeDays} days** or unused for over ` +
      `**${policy.maxIdleDays} days** (a never-used key counts from its creation)${warnPolicy.length ? `; ${warnPolicy.join(', ')}` : ''}.\n\n`
  )
  parts.push(credentialReportLine(report))

  const footer =
    `\nFull report (every key): \`${escapeCell(input.reportPath)}\` · ${report.stats.calls} IAM calls, ` +
    `${report.stats.retries} retries (${report.stats.throttled} throttled) · ${input.seconds.toFixed(1)} s\n`
  let used = byteLength(parts.join('')) + byteLength(footer) + 600

  // Adds a table, row by row, for as long as the budget lasts.
  const table = (title: string, rows: readonly JudgedKey[], folded: boolean): void => {
    if (rows.length === 0) return
    const open = folded
      ? `<details><summary>${title} (${rows.length})</summary>\n\n${HEADER}`
      : `### ${title} (${rows.length})\n\n${HEADER}`
    const close = folded ? '\n</details>\n\n' : '\n'
    let text = open
    used += byteLength(open) + byteLength(close) + 200
    let shown = 0
    for (const row of rows) {
      const line = rowLine(row, input)
      const bytes = byteLength(line)
      if (used + bytes > budget) break
      text += line
      used += bytes
      shown++
    }
    if (shown < rows.length) {
      text += `\n_…and ${rows.length - shown} more not shown here (the summary is limited to 1 MiB): see the report file._\n`
    }
    parts.push(text + close)
  }

  const by = (verdict: JudgedKey['verdict']): JudgedKey[] =>
    worstFirst(
      input.rows.filter(r => r.verdict === verdict),
      policy
    )
  table('Violations', by('violation'), false)
  table('Warnings', by('warning'), false)
  if (report.errors.length > 0) {
    let text = `### Could not read (${report.errors.length}) — the audit is incomplete\n\n`
    used += byteLength(text)
    let shown = 0
    for (const e of report.errors) {
      const line = `- ${escapeCell(e.message)}\n`
      if (used + byteLength(line) > budget) break
      text += line
      used += byteLength(line)
      shown++
    }
    if (shown < report.errors.length)
      text += `- …and ${report.errors.length - shown} more: see the report file.\n`
    parts.push(text + '\n')
  }
  table('Keys that could not be judged', by('error'), false)
  const rest = input.rows.filter(
    r => r.verdict === 'ok' || r.verdict === 'inactive' || r.verdict === 'exempt'
  )
  table(
    'All other keys',
    [...rest].sort(
      (a, b) =>
        a.user.localeCompare(b.user) || (a.accessKeyId ?? '').localeCompare(b.accessKeyId ?? '')
    ),
    true
  )
  parts.push(footer)
  return parts.join('')
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** The summary of a run that could not start the audit (bad input, no credentials). */
export function renderStartFailure(message: string): string {
  return `## ❌ IAM access keys: the audit could not run\n\n<pre>${escapeHtml(message)}</pre>\n`
}
