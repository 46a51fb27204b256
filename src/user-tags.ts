import type { Policy } from './config.js'
import { untilProblem } from './exemptions.js'
import type { UserPolicy } from './model.js'

/** The tags a user can carry to set its own policy (with `user-tags: true`). */
export const TAG = {
  maxAgeDays: 'iam-access-key-gate:max-age-days',
  maxIdleDays: 'iam-access-key-gate:max-idle-days',
  exemptUntil: 'iam-access-key-gate:exempt-until',
  exemptReason: 'iam-access-key-gate:exempt-reason'
} as const

/** What one user's tags amount to. */
export interface UserTagResult {
  readonly policy: UserPolicy | null
  /** Bad tag values, each a sentence; the user is then judged by the defaults. */
  readonly problems: string[]
  /** Tags that were valid but not applied (a relaxation without `allow-tag-relaxation`). */
  readonly ignored: string[]
}

/**
 * Turns one user's tags into its own thresholds and exemption. Pure. A tag may only tighten a
 * threshold unless `allowRelaxation`; an exemption tag is itself a relaxation, so it also
 * needs `allowRelaxation` — otherwise anyone allowed to tag a user could exempt it. Any bad
 * value makes the whole user fall back to the defaults: half-applied settings would be a
 * policy nobody wrote.
 */
export function userPolicyFromTags(
  user: string,
  tags: Readonly<Record<string, string>>,
  policy: Policy,
  allowRelaxation: boolean,
  now: Date
): UserTagResult {
  const problems: string[] = []
  const ignored: string[] = []
  const settings: {
    maxAgeDays?: number
    maxIdleDays?: number
    exemption?: UserPolicy['exemption']
  } = {}

  const days = (tag: string, current: number, set: (n: number) => void): void => {
    const raw = tags[tag]
    if (raw === undefined) return
    const value = raw.trim()
    const n = /^\d+$/.test(value) ? Number(value) : NaN
    if (!(n >= 1 && n <= 3650)) {
      problems.push(
        `User '${user}': tag ${tag} must be a whole number of days from 1 to 3650, got '${raw}'; the user is judged by the defaults`
      )
      return
    }
    if (n > current && !allowRelaxation) {
      ignored.push(
        `User '${user}': tag ${tag}=${n} is ignored: it relaxes the input's ${current} days (allow-tag-relaxation is off)`
      )
      return
    }
    if (n !== current) set(n)
  }
  days(TAG.maxAgeDays, policy.maxAgeDays, n => (settings.maxAgeDays = n))
  days(TAG.maxIdleDays, policy.maxIdleDays, n => (settings.maxIdleDays = n))

  const until = tags[TAG.exemptUntil]?.trim()
  const reason = tags[TAG.exemptReason]?.trim()
  if (until !== undefined || reason !== undefined) {
    const before = problems.length
    if (until === undefined || until === '')
      problems.push(`User '${user}': tag ${TAG.exemptReason} needs ${TAG.exemptUntil} (YYYY-MM-DD)`)
    else {
      const problem = untilProblem(until, now)
      if (problem !== null) problems.push(`User '${user}': tag ${TAG.exemptUntil}: ${problem}`)
    }
    if (reason === undefined || reason === '')
      problems.push(
        `User '${user}': tag ${TAG.exemptUntil} needs ${TAG.exemptReason} (why the user is exempt)`
      )
    if (problems.length === before && until && reason) {
      if (allowRelaxation) settings.exemption = { until, reason }
      else
        ignored.push(
          `User '${user}': tags ${TAG.exemptUntil}/${TAG.exemptReason} are ignored: an exemption by tag needs allow-tag-relaxation: true`
        )
    }
  }

  if (problems.length > 0) return { policy: null, problems, ignored }
  return { policy: Object.keys(settings).length > 0 ? settings : null, problems, ignored }
}
