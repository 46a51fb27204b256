import type { Policy } from './config.js'
import type {
  AuditError,
  CallStats,
  Inventory,
  JudgedKey,
  KeyAction,
  KeyExemption,
  LastUsedSource,
  Reason,
  Verdict
} from './model.js'
import { VERDICTS } from './model.js'
import { shortKeyId } from './format.js'
import { EXPIRING_SOON_DAYS, exemptionMatches, selectorText, type Exemption } from './exemptions.js'
import { keyExemption } from './judge.js'

/** The JSON report, DESIGN.md schema version 1. Dates are ISO strings; never-used is null. */
export interface Report {
  readonly schemaVersion: 1
  readonly generatedAt: string
  readonly account: string
  readonly accountAlias: string | null
  readonly complete: boolean
  readonly policy: Policy
  readonly totals: { users: number; keys: number; excludedUsers: number } & Record<Verdict, number>
  readonly keys: ReportKey[]
  readonly errors: AuditError[]
  readonly stats: CallStats
  /** Every entry of the `exemptions` input, with its state and how many keys it named. */
  readonly exemptions: ReportExemption[]
  /** Things the run chose not to apply (a relaxing user tag without allow-tag-relaxation). */
  readonly notes: string[]
  /** Set when last-used-source is credential-report; null in api mode. */
  readonly credentialReport: ReportCredentialReport | null
}

/** One entry of the `exemptions` input, as the report lists it. */
export interface ReportExemption {
  readonly entry: number
  readonly selector: string
  readonly until: string
  readonly reason: string
  readonly state: 'active' | 'expiring' | 'expired'
  readonly daysLeft: number
  readonly keys: number
}

/** How the credential report served this audit. */
export interface ReportCredentialReport {
  /** When the report used was generated; null when it could not be used. */
  readonly generatedAt: string | null
  /** Why it could not be used (every key was then asked live); null when it was used. */
  readonly fallbackReason: string | null
  readonly keysFromReport: number
  readonly keysAskedLive: number
  /** Users whose keys were not listed: the report shows no key for them. */
  readonly usersWithoutKeyInReport: number
  /** Users whose keys were not listed: created after the report. */
  readonly usersCreatedSinceReport: number
}

export interface ReportKey {
  readonly user: string
  readonly userPath: string
  readonly accessKeyId: string | null
  readonly status: string | null
  readonly createDate: string | null
  readonly lastUsedDate: string | null
  readonly lastUsedService: string | null
  readonly lastUsedRegion: string | null
  readonly ageDays: number | null
  readonly idleDays: number | null
  readonly verdict: Verdict
  readonly reasons: readonly Reason[]
  readonly exemption: KeyExemption | null
  readonly action: KeyAction | null
  /** The user's own thresholds from its tags; null: the inputs'. */
  readonly limits: { maxAgeDays: number; maxIdleDays: number } | null
  /** Where lastUsedDate came from; null for rows without a key. */
  readonly lastUsedSource: LastUsedSource | null
}

/** Counts rows by verdict; every verdict is present, zero or not. */
export function countVerdicts(rows: readonly JudgedKey[]): Record<Verdict, number> {
  const totals = Object.fromEntries(VERDICTS.map(v => [v, 0])) as Record<Verdict, number>
  for (const r of rows) totals[r.verdict]++
  return totals
}

/**
 * Builds the report from judged rows. `totals.keys` counts IAM users' access keys; the verdict
 * counts count rows, which also include the root-user row and one row per user whose keys
 * could not be listed (those rows have no key id).
 * Rows are sorted by user and key id, so two nightly reports diff cleanly. Key ids are shortened
 * like everywhere else unless `reveal-key-ids` is on: artifacts of a public repository are
 * public too.
 */
export function buildReport(
  inventory: Inventory,
  rows: readonly JudgedKey[],
  policy: Policy,
  now: Date,
  revealKeyIds: boolean,
  extra: { exemptions?: readonly Exemption[]; notes?: readonly string[] } = {}
): Report {
  const sorted = [...rows].sort(
    (a, b) =>
      a.user.localeCompare(b.user) || (a.accessKeyId ?? '').localeCompare(b.accessKeyId ?? '')
  )
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    account: inventory.accountId,
    accountAlias: inventory.accountAlias,
    complete: inventory.complete,
    policy: { ...policy },
    totals: {
      users: inventory.usersScanned,
      keys: inventory.keys.length,
      excludedUsers: inventory.usersExcluded ?? 0,
      ...countVerdicts(rows)
    },
    keys: sorted.map(r => ({
      user: r.user,
      userPath: r.userPath,
      accessKeyId: r.accessKeyId === null ? null : shortKeyId(r.accessKeyId, revealKeyIds),
      status: r.status,
      createDate: r.createDate?.toISOString() ?? null,
      lastUsedDate: r.lastUsedDate?.toISOString() ?? null,
      lastUsedService: r.lastUsedService,
      lastUsedRegion: r.lastUsedRegion,
      ageDays: r.ageDays,
      idleDays: r.idleDays,
      verdict: r.verdict,
      reasons: r.reasons,
      exemption: r.exemption ?? null,
      action: r.action ?? null,
      limits: r.limits ?? null,
      lastUsedSource: r.accessKeyId === null ? null : (r.lastUsedSource ?? 'api')
    })),
    errors: [...inventory.errors],
    stats: { ...inventory.stats },
    exemptions: exemptionStates(extra.exemptions ?? [], rows, now, revealKeyIds),
    notes: [...(extra.notes ?? [])],
    credentialReport: credentialReportOf(inventory)
  }
}

function credentialReportOf(inventory: Inventory): ReportCredentialReport | null {
  const use = inventory.credentialReport
  if (!use) return null
  return {
    generatedAt: use.generatedAt?.toISOString() ?? null,
    fallbackReason: use.fallbackReason,
    keysFromReport: use.keysFromReport,
    keysAskedLive: use.keysAskedLive,
    usersWithoutKeyInReport: use.usersNotListed,
    usersCreatedSinceReport: use.usersNotInReport
  }
}

/**
 * Each input exemption with its state at `now` and the number of keys it names, so one that
 * ran out, runs out soon, or names nothing any more is visible.
 */
export function exemptionStates(
  exemptions: readonly Exemption[],
  rows: readonly JudgedKey[],
  now: Date,
  revealKeyIds: boolean
): ReportExemption[] {
  return exemptions.map(e => {
    const k = keyExemption(e.until, e.reason, 'input', e.entry, now)
    return {
      entry: e.entry,
      selector: selectorText(e.selector, revealKeyIds),
      until: e.until,
      reason: e.reason,
      state: k.expired ? 'expired' : k.daysLeft < EXPIRING_SOON_DAYS ? 'expiring' : 'active',
      daysLeft: k.daysLeft,
      keys: rows.filter(r => r.accessKeyId !== null && exemptionMatches(e, r)).length
    }
  })
}
