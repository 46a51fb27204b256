import type { Policy } from './config.js'
import { exemptionMatches, expiresAt, type Exemption } from './exemptions.js'
import type {
  JudgedKey,
  KeyExemption,
  KeyRecord,
  Reason,
  UnreadUser,
  UserPolicy,
  Verdict
} from './model.js'

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

  if (key.status === 'Inactive') {
    // It cannot be used, but an old one is clutter an auditor flags: a warning to delete it.
    return policy.maxInactiveDays !== null && ageDays > policy.maxInactiveDays
      ? verdict('warning', ['inactive-age'])
      : verdict('inactive')
  }

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

/** Policy that comes as data besides the thresholds: exemptions and per-user settings. */
export interface JudgeOptions {
  readonly exemptions?: readonly Exemption[]
  /** Per user name, from IAM user tags. */
  readonly userPolicies?: ReadonlyMap<string, UserPolicy>
}

/**
 * An exemption as one key sees it at `now`: it applies through the whole of its `until` day
 * (UTC) and has run out from the next midnight on.
 */
export function keyExemption(
  until: string,
  reason: string,
  source: KeyExemption['source'],
  entry: number | null,
  now: Date
): KeyExemption {
  const ends = expiresAt(until).getTime()
  const expired = now.getTime() >= ends
  const daysLeft = expired
    ? -wholeDays(new Date(ends), now) - 1
    : Math.floor((ends - now.getTime()) / DAY_MS)
  return { reason, until, source, entry, expired, daysLeft }
}

/**
 * The exemption that speaks for a key: the first unexpired input exemption naming it, else its
 * user's tag exemption when unexpired, else the first expired one (so the report can say it
 * ran out), else none.
 */
function findExemption(
  key: KeyRecord,
  exemptions: ReadonlyArray<{ rule: Exemption; seen: KeyExemption }>,
  userPolicy: UserPolicy | undefined,
  now: Date
): KeyExemption | null {
  const candidates: KeyExemption[] = exemptions
    .filter(e => exemptionMatches(e.rule, key))
    .map(e => e.seen)
  if (userPolicy?.exemption)
    candidates.push(
      keyExemption(userPolicy.exemption.until, userPolicy.exemption.reason, 'tag', null, now)
    )
  return candidates.find(c => !c.expired) ?? candidates[0] ?? null
}

/**
 * Judges every key of an account, plus the rows for unread users and root keys. Pure.
 *
 * Order of the rules: each key against its user's thresholds (the inputs, tightened by user
 * tags); then more than one active key per user (CIS 1.13) as `policy.multipleActiveKeys`
 * says; then exemptions. An exemption makes every key it names `exempt` (its reasons stay, to
 * show what is being excused) except a key whose data could not be read. The root user's keys
 * are never exempt, and a user whose keys could not be listed stays an `error`.
 */
export function judge(
  input: JudgeInput,
  policy: Policy,
  now: Date,
  options: JudgeOptions = {}
): JudgedKey[] {
  // An exemption's state depends only on `now`, not on the key: work it out once.
  const exemptions = (options.exemptions ?? []).map(rule => ({
    rule,
    seen: keyExemption(rule.until, rule.reason, 'input', rule.entry, now)
  }))
  const activeByUser = new Map<string, number>()
  for (const k of input.keys)
    if (k.status === 'Active') activeByUser.set(k.user, (activeByUser.get(k.user) ?? 0) + 1)

  const rows: JudgedKey[] = input.keys.map(key => {
    const own = options.userPolicies?.get(key.user)
    const maxAgeDays = own?.maxAgeDays ?? policy.maxAgeDays
    const maxIdleDays = own?.maxIdleDays ?? policy.maxIdleDays
    const tagged = maxAgeDays !== policy.maxAgeDays || maxIdleDays !== policy.maxIdleDays
    let row = judgeKey(key, tagged ? { ...policy, maxAgeDays, maxIdleDays } : policy, now)
    if (tagged) row = { ...row, limits: { maxAgeDays, maxIdleDays } }

    if (
      key.status === 'Active' &&
      policy.multipleActiveKeys !== 'off' &&
      (activeByUser.get(key.user) ?? 0) > 1 &&
      row.verdict !== 'error'
    ) {
      const reasons: Reason[] = [...row.reasons, 'multiple-active-keys']
      if (row.verdict === 'violation') row = { ...row, reasons }
      else if (policy.multipleActiveKeys === 'fail')
        // A warning's own reasons name warn thresholds; as a violation they would read wrong.
        row = { ...row, verdict: 'violation', reasons: ['multiple-active-keys'] }
      else row = { ...row, verdict: 'warning', reasons }
    }

    const exemption = findExemption(key, exemptions, own, now)
    if (exemption === null) return row
    if (exemption.expired || row.verdict === 'error') return { ...row, exemption }
    return { ...row, verdict: 'exempt', exemption }
  })
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
  const maxAge = row.limits?.maxAgeDays ?? policy.maxAgeDays
  const maxIdle = row.limits?.maxIdleDays ?? policy.maxIdleDays
  const ageOver =
    (row.ageDays ?? 0) - (row.verdict === 'warning' ? (policy.warnAgeDays ?? maxAge) : maxAge)
  const idleOver =
    (row.idleDays ?? 0) - (row.verdict === 'warning' ? (policy.warnIdleDays ?? maxIdle) : maxIdle)
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
