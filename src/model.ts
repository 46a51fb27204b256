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
export type Reason = 'age' | 'idle' | 'root-key' | 'unreadable'

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
  /** Where `lastUsedDate` came from; null for rows without a key. Absent: 'api' for a key. */
  readonly lastUsedSource?: LastUsedSource | null
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
