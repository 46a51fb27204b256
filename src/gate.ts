import type { Policy } from './config.js'
import { plural, shortKeyId } from './format.js'
import { worstFirst } from './judge.js'
import type { JudgedKey } from './model.js'
import type { Report } from './report.js'
import { reasonText } from './summary.js'

/** GitHub shows at most this many error annotations of one step. */
export const ANNOTATION_LIMIT = 10

export interface GateOptions {
  readonly failOnViolation: boolean
  readonly failOnError: boolean
}

/** Why the step fails, in one line; null when it passes. */
export function failureMessage(
  report: Report,
  rows: readonly JudgedKey[],
  policy: Policy,
  opts: GateOptions
): string | null {
  const parts: string[] = []
  if (opts.failOnViolation) {
    const violating = rows.filter(r => r.verdict === 'violation')
    const keys = violating.filter(r => r.accessKeyId !== null)
    if (keys.length > 0) {
      const old = keys.filter(r => r.reasons.includes('age'))
      const idle = keys.filter(r => r.reasons.includes('idle'))
      // Under `multiple-active-keys: warn` the reason rides along on a key that broke policy
      // for another reason; only under `fail` is it a cause of failure.
      const many =
        policy.multipleActiveKeys === 'fail'
          ? keys.filter(r => r.reasons.includes('multiple-active-keys')).length
          : 0
      // With per-user tag thresholds one number would be wrong for some keys.
      const ownAge = old.some(r => r.limits) ? " or its user's tag limit" : ''
      const ownIdle = idle.some(r => r.limits) ? " or its user's tag limit" : ''
      const why = [
        old.length > 0 ? `${old.length} older than ${policy.maxAgeDays} days${ownAge}` : '',
        idle.length > 0
          ? `${idle.length} unused for over ${policy.maxIdleDays} days${ownIdle}`
          : '',
        many > 0 ? `${many} of users with more than one active key` : ''
      ].filter(Boolean)
      parts.push(
        `${keys.length} of ${plural(report.totals.keys, 'access key')} break${keys.length === 1 ? 's' : ''} policy (${why.join(', ')})`
      )
    }
    if (violating.some(r => r.reasons.includes('root-key')))
      parts.push('the root user has access keys')
  }
  if (opts.failOnError && !report.complete) {
    const first = report.errors[0]?.message ?? 'unknown error'
    parts.push(
      `the audit is incomplete: ${plural(report.errors.length, 'call')} failed (first: ${first}); see the report's errors`
    )
  }
  if (parts.length === 0) return null
  const text = parts.join('; ')
  return text[0].toUpperCase() + text.slice(1)
}

/** One annotation per violating key, worst first; the last one says how many were left out. */
export function violationAnnotations(
  rows: readonly JudgedKey[],
  policy: Policy,
  revealKeyIds: boolean
): string[] {
  const violating = worstFirst(
    rows.filter(r => r.verdict === 'violation'),
    policy
  )
  const shown = violating.slice(0, ANNOTATION_LIMIT)
  return shown.map((r, i) => {
    const key = r.accessKeyId === null ? '' : ` ${shortKeyId(r.accessKeyId, revealKeyIds)}`
    const age = r.ageDays === null ? '' : ` (age ${r.ageDays} days, idle ${r.idleDays ?? '?'} days)`
    const more =
      i === shown.length - 1 && violating.length > shown.length
        ? ` — and ${violating.length - shown.length} more violating keys: see the job summary`
        : ''
    return `${r.user}${key}: ${r.reasons.map(x => reasonText(x, r, policy)).join('; ')}${age}${more}`
  })
}
