/** Plain data shared by the inventory, the judge and the renderers. */

/** Where a key's last-used date came from (input last-used-source). */
export type LastUsedSource = 'api' | 'credential-report'

export type KeyStatus = 'Active' | 'Inactive'

/** One access key as IAM describes it; `lastUsedUnknown` when its last use could not be read. */
export interface KeyRecord {
  readonly user: string
  readonly userPath: string
  readonly accessKeyId: string
  readonly status: KeyStatus
  readonly createDate: Date
  readonly lastUsedDate: Date | null
  readonly lastUsedService: string | null
  readonly lastUsedRegion: string | null
  readonly lastUsedUnknown?: boolean
  /** Absent: 'api'. */
  readonly lastUsedSource?: LastUsedSource
}

/** A user whose keys could not be listed: their keys are unknown, so they are an `error` row. */
export interface UnreadUser {
  readonly user: string
  readonly userPath: string
}

/** Something the audit could not read. `user` is null for account-wide calls. */
export interface AuditError {
  readonly user: string | null
  readonly operation: string
  readonly message: string
}

export type Verdict = 'violation' | 'warning' | 'error' | 'exempt' | 'inactive' | 'ok'
export type Reason =
  'age' | 'idle' | 'root-key' | 'unreadable' | 'multiple-active-keys' | 'inactive-age'

export const VERDICTS: readonly Verdict[] = [
  'ok',
  'warning',
  'violation',
  'inactive',
  'exempt',
  'error'
]

/** A judged row of the report: a key, a user whose keys are unknown, or the root user. */
export interface JudgedKey {
  readonly user: string
  readonly userPath: string
  readonly accessKeyId: string | null
  readonly status: KeyStatus | null
  readonly createDate: Date | null
  readonly lastUsedDate: Date | null
  readonly lastUsedService: string | null
  readonly lastUsedRegion: string | null
  readonly ageDays: number | null
  readonly idleDays: number | null
  readonly verdict: Verdict
  readonly reasons: readonly Reason[]
  /** The exemption naming this key: applied (verdict `exempt`) or expired (judged as usual). */
  readonly exemption?: KeyExemption | null
  /** What the run did to the key (deactivation); absent or null: nothing. */
  readonly action?: KeyAction | null
  /** The user's own thresholds from IAM user tags, when they differ from the inputs. */
  readonly limits?: { readonly maxAgeDays: number; readonly maxIdleDays: number } | null
  /** Where `lastUsedDate` came from; null for rows without a key. Absent: 'api' for a key. */
  readonly lastUsedSource?: LastUsedSource | null
}

/** An exemption as one key sees it. */
export interface KeyExemption {
  readonly reason: string
  /** Last day it applies, `YYYY-MM-DD` (UTC). */
  readonly until: string
  readonly source: 'input' | 'tag'
  /** Position in the `exemptions` input; null for a user tag. */
  readonly entry: number | null
  readonly expired: boolean
  /** Whole days until it runs out (0 on its last day); negative once expired. */
  readonly daysLeft: number
}

/**
 * `deactivated`: set to Inactive by this run; `would-deactivate`: the same under dry-run;
 * `deactivation-failed`: UpdateAccessKey failed (an audit error); `spared-recent-use`: it
 * qualified but was used within the last 24 hours, so it was left Active; `spared-one-per-user`:
 * another key of the same user is deactivated in this run, and one a night is the most.
 */
export type KeyAction =
  | 'deactivated'
  | 'would-deactivate'
  | 'deactivation-failed'
  | 'spared-recent-use'
  | 'spared-one-per-user'

/** One user's own settings, read from its IAM tags (only with `user-tags: true`). */
export interface UserPolicy {
  readonly maxAgeDays?: number
  readonly maxIdleDays?: number
  readonly exemption?: { readonly until: string; readonly reason: string }
}

/** What the inventory read from one account. */
export interface Inventory {
  readonly accountId: string
  readonly accountAlias: string | null
  readonly usersScanned: number
  readonly keys: readonly KeyRecord[]
  readonly unreadUsers: readonly UnreadUser[]
  /** null when GetAccountSummary could not be read. */
  readonly rootAccessKeysPresent: boolean | null
  readonly errors: readonly AuditError[]
  /** False when anything could not be read: the user list, a user's keys, a key's last use. */
  readonly complete: boolean
  readonly stats: CallStats
  /** Users left out by `include-paths` / `exclude-users` (no call was made for them). */
  readonly usersExcluded?: number
  /** Each audited user's tags, with `user-tags: true`; a user whose tags failed is absent. */
  readonly userTags?: ReadonlyMap<string, Readonly<Record<string, string>>>
  /** Set when last-used-source is credential-report (also when it fell back); absent or null otherwise. */
  readonly credentialReport?: CredentialReportUse | null
}

/** How the credential report's first pass went. */
export interface CredentialReportUse {
  /** When the report used was generated; null when it could not be used. */
  readonly generatedAt: Date | null
  /** Why the report could not be used (every key was then asked live); null when it was used. */
  readonly fallbackReason: string | null
  /** Users the report shows without a key: their keys were not listed. */
  readonly usersNotListed: number
  /** Users missing from the report (created after it): their keys were not listed. */
  readonly usersNotInReport: number
  readonly keysFromReport: number
  readonly keysAskedLive: number
}

export interface CallStats {
  calls: number
  retries: number
  throttled: number
  failed: number
}
