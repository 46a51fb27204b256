import type { Config, Policy } from './config.js'
import { daysAgo, escapeCell, escapeHtml, isoDate, plural, shortKeyId } from './format.js'
import { EXPIRING_SOON_DAYS } from './exemptions.js'
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
  /** `idle`, `age (dry-run)`, …; absent or null: deactivation is off. */
  readonly deactivation?: string | null
}

/** The summary's word on `deactivate`, or null when it is off. */
export function deactivationNote(config: Pick<Config, 'deactivate' | 'dryRun'>): string | null {
  if (config.deactivate === 'off') return null
  return `${config.deactivate}${config.dryRun ? ' (dry-run: nothing changed)' : ''}`
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

/** A reason in words, with the numbers that prove it; `stable` leaves out counts that grow daily. */
export function reasonText(reason: Reason, row: JudgedKey, policy: Policy, stable = false): string {
  const warn = row.verdict === 'warning'
  const tag = !warn && row.limits ? ' (user tag)' : ''
  switch (reason) {
    case 'age':
      return `older than ${warn ? policy.warnAgeDays : (row.limits?.maxAgeDays ?? policy.maxAgeDays)} days${tag}`
    case 'idle': {
      const limit = warn ? policy.warnIdleDays : (row.limits?.maxIdleDays ?? policy.maxIdleDays)
      if (row.lastUsedDate !== null) return `unused for over ${limit} days${tag}`
      // `stable` words do not change from one night to the next (the tracking issue's body).
      return stable
        ? `never used in over ${limit} days${tag}`
        : `never used in ${row.idleDays} days`
    }
    case 'multiple-active-keys':
      return 'the user has more than one active key: keep one'
    case 'inactive-age':
      return `inactive and older than ${policy.maxInactiveDays} days: delete it`
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
        `${report.policy.maxAgeDays} days nor unused for over ${report.policy.maxIdleDays} days and cannot break policy.` +
        (cr.usersWithoutKeyInReport > 0
          ? ` So may an Inactive key that was never used, which the report shows as no key: it cannot be used while it stays inactive.`
          : '') +
        `\n\n`
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
  const why = whyCell(row, input.policy)
  return `| ${escapeCell(row.user)}${path} | ${key} | ${row.status ?? '—'} | ${age} | ${lastUsedCell(row, input.now)} | ${escapeCell(row.lastUsedService ?? '—')} | ${escapeCell(row.lastUsedRegion ?? '—')} | ${why} |\n`
}

/**
 * The "Why" cell of a row, Markdown-escaped: its reasons in words, then its exemption (or the
 * expired one) and what this run did to it. The tracking issue can show the same cell.
 */
export function whyCell(row: JudgedKey, policy: Policy): string {
  return [
    row.reasons.map(r => escapeCell(reasonText(r, row, policy))).join('; ') ||
      (row.verdict === 'exempt' ? '' : row.verdict),
    exemptionNote(row),
    row.action ? ACTION_TEXT[row.action] : ''
  ]
    .filter(Boolean)
    .join(' · ')
}

const ACTION_TEXT: Record<NonNullable<JudgedKey['action']>, string> = {
  deactivated: '**deactivated by this run**',
  'would-deactivate': 'would be deactivated (dry-run)',
  'deactivation-failed': '**deactivation failed**',
  'spared-recent-use': 'not deactivated: used within the last 24 hours',
  'spared-one-per-user': 'not deactivated: another key of this user is, one a run'
}

/** `exempt until 2027-01-31 (input): SEC-123 — 5 days left`, or the expired form. */
export function exemptionNote(row: JudgedKey): string {
  const e = row.exemption
  if (!e) return ''
  const source = e.source === 'tag' ? 'user tag' : `exemptions[${e.entry}]`
  if (e.expired)
    return `exemption expired ${e.until} (${source}: ${escapeCell(e.reason)}) no longer applies`
  const soon =
    e.daysLeft < EXPIRING_SOON_DAYS ? ` — ⏳ runs out in ${plural(e.daysLeft, 'day')}` : ''
  return `${row.verdict === 'exempt' ? 'exempt' : 'exemption'} until ${e.until} (${source}): ${escapeCell(e.reason)}${soon}`
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
  parts.push(policyNotes(report, input.rows, input.deactivation ?? null))
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
  table(
    'Deactivation',
    input.rows.filter(r => r.action),
    false
  )
  table('Exempt keys', by('exempt'), false)
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
  const rest = input.rows.filter(r => r.verdict === 'ok' || r.verdict === 'inactive')
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

/** Ignored-tag notes shown in the summary at most; the report has them all. */
const NOTE_LIMIT = 20

/**
 * The lines about scope, exemptions and ignored tags under the policy line: what was left out
 * of the audit and which exceptions run out soon or already did, so nothing is hidden.
 */
export function policyNotes(
  report: Report,
  rows: readonly JudgedKey[],
  deactivation: string | null = null
): string {
  const lines: string[] = []
  const p = report.policy
  const rules = [
    p.multipleActiveKeys !== 'off'
      ? `more than one active key per user is a ${p.multipleActiveKeys === 'fail' ? 'violation' : 'warning'}`
      : '',
    p.maxInactiveDays !== null
      ? `an inactive key older than ${p.maxInactiveDays} days is a warning`
      : '',
    deactivation ? `deactivate: **${deactivation}**` : ''
  ].filter(Boolean)
  if (rules.length > 0) lines.push(`Also: ${rules.join('; ')}.`)
  if (report.totals.excludedUsers > 0)
    lines.push(
      `**${plural(report.totals.excludedUsers, 'user')} excluded** by include-paths / exclude-users (not audited).`
    )
  const soon = report.exemptions.filter(e => e.state === 'expiring')
  const expired = report.exemptions.filter(e => e.state === 'expired')
  for (const e of soon)
    lines.push(
      `⏳ Exemption exemptions[${e.entry}] (${escapeCell(e.selector)}: ${escapeCell(e.reason)}) runs out in ${plural(e.daysLeft, 'day')} (until ${e.until}).`
    )
  for (const e of expired)
    lines.push(
      `⌛ Exemption exemptions[${e.entry}] (${escapeCell(e.selector)}: ${escapeCell(e.reason)}) **expired** after ${e.until} and no longer applies.`
    )
  const tagSoon = new Map<string, JudgedKey>()
  for (const r of rows)
    if (
      r.exemption?.source === 'tag' &&
      (r.exemption.expired || r.exemption.daysLeft < EXPIRING_SOON_DAYS)
    )
      tagSoon.set(r.user, r)
  for (const [user, r] of tagSoon) {
    const e = r.exemption as NonNullable<JudgedKey['exemption']>
    lines.push(
      e.expired
        ? `⌛ The tag exemption of user ${escapeCell(user)} (${escapeCell(e.reason)}) **expired** after ${e.until} and no longer applies.`
        : `⏳ The tag exemption of user ${escapeCell(user)} (${escapeCell(e.reason)}) runs out in ${plural(e.daysLeft, 'day')} (until ${e.until}).`
    )
  }
  for (const note of report.notes.slice(0, NOTE_LIMIT)) lines.push(`ℹ️ ${escapeCell(note)}`)
  if (report.notes.length > NOTE_LIMIT)
    lines.push(`ℹ️ …and ${report.notes.length - NOTE_LIMIT} more notes: see the report file.`)
  return lines.length > 0 ? lines.map(l => `${l}\n`).join('\n') + '\n' : ''
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** What goes below a summary already written when the step then stopped part-way. */
export function renderLateFailure(message: string): string {
  return `\n---\n\n❌ **The step stopped after this summary was written:** ${escapeHtml(message)}\n`
}

/** The summary of a run that could not start the audit (bad input, no credentials). */
export function renderStartFailure(message: string, heading = 'the audit could not run'): string {
  return `## ❌ IAM access keys: ${heading}\n\n<pre>${escapeHtml(message)}</pre>\n`
}
