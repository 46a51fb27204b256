import type { Policy } from './config.js'
import type { JudgedKey, KeyRecord, Reason, UnreadUser, Verdict } from './model.js'

export const DAY_MS = 86_400_000

/** Whole days from `from` to `now`, never negative (a CreateDate ahead of our clock is day 0). */
export function wholeDays(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY_MS))
}

/**
 * Judges one key. Pure: the same key, policy and `now` always give the same verdict.
 *
 * A never-used key counts as idle since its creation, so a fresh unused key has the idle
 * threshold as grace period and an old unused key is caught. Thresholds break policy only
 * when exceeded (`> N` whole days).
 */
export function judgeKey(key: KeyRecord, policy: Policy, now: Date): JudgedKey {
  const ageDays = wholeDays(key.createDate, now)
  const idleDays = key.lastUsedUnknown ? null : wholeDays(key.lastUsedDate ?? key.createDate, now)
  const base = {
    user: key.user,
    userPath: key.userPath,
    accessKeyId: key.accessKeyId,
    status: key.status,
    createDate: key.createDate,
    lastUsedDate: key.lastUsedDate,
    lastUsedService: key.lastUsedService,
    lastUsedRegion: key.lastUsedRegion,
    ageDays,
    idleDays,
    lastUsedSource: key.lastUsedSource ?? 'api'
  }
  const verdict = (v: Verdict, reasons: Reason[] = []): JudgedKey => ({
    ...base,
    verdict: v,
    reasons
  })

  if (key.status === 'Inactive') return verdict('inactive')

  const tooOld = ageDays > policy.maxAgeDays
  if (idleDays === null) {
    // Its last use could not be read; age alone may still prove a violation, and then that
    // is what the key is — the gate must not soften a known violation into an error.
    return tooOld ? verdict('violation', ['age']) : verdict('error', ['unreadable'])
  }
  const tooIdle = idleDays > policy.maxIdleDays
  if (tooOld || tooIdle) {
    const reasons: Reason[] = []
    if (tooOld) reasons.push('age')
    if (tooIdle) reasons.push('idle')
    return verdict('violation', reasons)
  }
  const warnReasons: Reason[] = []
  if (policy.warnAgeDays !== null && ageDays > policy.warnAgeDays) warnReasons.push('age')
  if (policy.warnIdleDays !== null && idleDays > policy.warnIdleDays) warnReasons.push('idle')
  return warnReasons.length > 0 ? verdict('warning', warnReasons) : verdict('ok')
}

/** The row for a user whose keys could not be listed. */
export function unreadUserRow(user: UnreadUser): JudgedKey {
  return {
    user: user.user,
    userPath: user.userPath,
    accessKeyId: null,
    status: null,
    createDate: null,
    lastUsedDate: null,
    lastUsedService: null,
    lastUsedRegion: null,
    ageDays: null,
    idleDays: null,
    verdict: 'error',
    reasons: ['unreadable'],
    lastUsedSource: null
  }
}

/** The root user's row: root access keys are always a violation (CIS 1.4, Security Hub IAM.4). */
export function rootKeyRow(): JudgedKey {
  return {
    ...unreadUserRow({ user: '<root_account>', userPath: '/' }),
    verdict: 'violation',
    reasons: ['root-key']
  }
}

export interface JudgeInput {
  readonly keys: readonly KeyRecord[]
  readonly unreadUsers: readonly UnreadUser[]
  readonly rootAccessKeysPresent: boolean | null
}

/** Judges every key of an account, plus the rows for unread users and root keys. */
export function judge(input: JudgeInput, policy: Policy, now: Date): JudgedKey[] {
  const rows = input.keys.map(k => judgeKey(k, policy, now))
  for (const u of input.unreadUsers) rows.push(unreadUserRow(u))
  if (input.rootAccessKeysPresent === true) rows.push(rootKeyRow())
  return rows
}

/**
 * How far past policy a row is, for "worst first": root keys first, then keys breaking both
 * rules, then by the largest overshoot in days.
 */
export function severity(row: JudgedKey, policy: Policy): number {
  if (row.reasons.includes('root-key')) return Number.MAX_SAFE_INTEGER
  const ageOver =
    (row.ageDays ?? 0) -
    (row.verdict === 'warning' ? (policy.warnAgeDays ?? policy.maxAgeDays) : policy.maxAgeDays)
  const idleOver =
    (row.idleDays ?? 0) -
    (row.verdict === 'warning' ? (policy.warnIdleDays ?? policy.maxIdleDays) : policy.maxIdleDays)
  const over = Math.max(
    row.reasons.includes('age') ? ageOver : 0,
    row.reasons.includes('idle') ? idleOver : 0
  )
  return row.reasons.length * 1_000_000 + over
}

/** Rows sorted worst first; ties by user name and key id so output is stable. */
export function worstFirst(rows: readonly JudgedKey[], policy: Policy): JudgedKey[] {
  return [...rows].sort(
    (a, b) =>
      severity(b, policy) - severity(a, policy) ||
      a.user.localeCompare(b.user) ||
      (a.accessKeyId ?? '').localeCompare(b.accessKeyId ?? '')
  )
}
