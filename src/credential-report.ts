import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient
} from '@aws-sdk/client-iam'
import { parse } from 'csv-parse/sync'
import type { Policy } from './config.js'
import { awsErrorCode, errorMessage } from './errors.js'
import { wholeDays } from './judge.js'
import type { CredentialReportUse } from './model.js'
import type { Sleep } from './retry.js'

export type { LastUsedSource } from './model.js'

/** One of a user's two access key slots in the credential report. */
export interface ReportSlot {
  readonly active: boolean
  /**
   * `access_key_N_last_rotated`: AWS documents it as "created or last changed", so it only
   * serves to recognise a key by its creation time, never as the key's age.
   */
  readonly lastRotated: Date | null
  /** null: never used (N/A); 'unknown': no_information / not_supported. */
  readonly lastUsed: ReportLastUse | null | 'unknown'
}

export interface ReportLastUse {
  readonly date: Date
  readonly service: string | null
  readonly region: string | null
}

/** One row of the credential report. */
export interface ReportUser {
  readonly user: string
  readonly arn: string
  /** From the ARN; '/' for the root row. */
  readonly path: string
  readonly slots: readonly [ReportSlot, ReportSlot]
  /** `user_creation_time`: tells a renamed or re-created user from the one the row was about. */
  readonly created: Date | null
}

/** The parsed credential report: a snapshot of the account at `generatedAt`. */
export interface CredentialReport {
  readonly generatedAt: Date
  /** By lower-cased user name: IAM user names are unique regardless of case. */
  readonly users: ReadonlyMap<string, ReportUser>
  /** The `<root_account>` row, when the report has one. */
  readonly root: ReportUser | null
}

/** Thrown for a credential report whose CSV cannot be trusted. */
export class MalformedReportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MalformedReportError'
  }
}

/** The columns the gate reads; every one must be in the header. */
const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service'
] as const

export const ROOT_ROW = '<root_account>'
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/
const USER_ARN = /^arn:[\w-]+:iam::\d{12}:user(\/(?:[\x21-\x7e]*\/)?)([^/]+)$/
const ROOT_ARN = /^arn:[\w-]+:iam::\d{12}:root$/

/**
 * Parses the report's CSV (already decoded from base64). Anything unexpected — a missing
 * column, a row of the wrong width, a flag that is not true/false, a date that is not ISO 8601,
 * an ARN that does not name the row's user — throws MalformedReportError: a report the gate
 * cannot read exactly is not used at all.
 */
export function parseCredentialReport(csv: string, generatedAt: Date): CredentialReport {
  let records: string[][]
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true }) as string[][]
  } catch (error) {
    // The parser's own message says where; its class name differs once bundled.
    throw new MalformedReportError(
      `not valid CSV: ${error instanceof Error ? error.message : String(error)}`
    )
  }
  const header = records[0]
  if (!header) throw new MalformedReportError('the report is empty')
  const column = new Map(header.map((name, i) => [name.trim(), i]))
  const missing = REQUIRED_COLUMNS.filter(c => !column.has(c))
  if (missing.length > 0)
    throw new MalformedReportError(`the header lacks ${missing.map(c => `'${c}'`).join(', ')}`)

  const users = new Map<string, ReportUser>()
  let root: ReportUser | null = null
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as string[]
    const line = r + 1
    const cell = (name: (typeof REQUIRED_COLUMNS)[number]): string =>
      (record[column.get(name) as number] ?? '').trim()
    const user = cell('user')
    const arn = cell('arn')
    if (user === '') throw new MalformedReportError(`line ${line} has no user name`)
    let path = '/'
    if (user === ROOT_ROW) {
      if (!ROOT_ARN.test(arn))
        throw new MalformedReportError(`line ${line}: '${arn}' is not a root user ARN`)
    } else {
      const m = USER_ARN.exec(arn)
      if (!m || m[2] !== user)
        throw new MalformedReportError(
          `line ${line}: the ARN '${arn}' does not name user '${user}'`
        )
      path = m[1] as string
    }
    const slot = (n: 1 | 2): ReportSlot => {
      const active = cell(`access_key_${n}_active`)
      if (active !== 'true' && active !== 'false')
        throw new MalformedReportError(
          `line ${line}: access_key_${n}_active is '${active}', not true or false`
        )
      const rotated = date(
        cell(`access_key_${n}_last_rotated`),
        line,
        `access_key_${n}_last_rotated`
      )
      const used = date(
        cell(`access_key_${n}_last_used_date`),
        line,
        `access_key_${n}_last_used_date`
      )
      return {
        active: active === 'true',
        lastRotated: rotated instanceof Date ? rotated : null,
        lastUsed:
          used instanceof Date
            ? {
                date: used,
                service: value(cell(`access_key_${n}_last_used_service`)),
                region: value(cell(`access_key_${n}_last_used_region`))
              }
            : used
      }
    }
    const createdCell = date(cell('user_creation_time'), line, 'user_creation_time')
    const created = createdCell instanceof Date ? createdCell : null
    const row: ReportUser = { user, arn, path, slots: [slot(1), slot(2)], created }
    if (user === ROOT_ROW) root = row
    else {
      const key = user.toLowerCase()
      if (users.has(key)) throw new MalformedReportError(`user '${user}' appears twice`)
      users.set(key, row)
    }
  }
  return { generatedAt, users, root }
}

/** A report date cell: a Date, null for N/A, 'unknown' for no_information / not_supported. */
function date(text: string, line: number, name: string): Date | null | 'unknown' {
  if (text === 'N/A' || text === '') return null
  if (text === 'no_information' || text === 'not_supported') return 'unknown'
  const ms = ISO_DATE.test(text) ? Date.parse(text) : NaN
  if (Number.isNaN(ms))
    throw new MalformedReportError(`line ${line}: ${name} is '${text}', not an ISO 8601 date`)
  return new Date(ms)
}

function value(text: string): string | null {
  return text === '' || text === 'N/A' || text === 'no_information' || text === 'not_supported'
    ? null
    : text
}

/** What the first pass decides for one user, before any call for it. */
export type UserPlan =
  /** The report shows a key slot in use: list the user's keys. */
  | 'list-keys'
  /** The report shows no key: any key the user holds now was created after the report. */
  | 'no-key-in-report'
  /** Not in the report: created after it, so every key it holds is newer than the report. */
  | 'not-in-report'

/**
 * Whether a user's keys must be listed. Pure. A key that existed when the report was generated
 * is in its user's row; so a user the report shows without a key, or does not show at all, can
 * only hold keys created since — younger than the report, see `reportSettlesNewKeys` — with
 * one exception the report cannot tell apart: an Inactive key that was never used (AWS gives it
 * N/A dates). It cannot be used while it stays inactive; one reactivated after the report was
 * generated is seen by the next run, whose report shows it active.
 */
export function planUser(report: CredentialReport, userName: string, userCreated?: Date): UserPlan {
  const row = report.users.get(userName.toLowerCase())
  const second = (d: Date): number => Math.floor(d.getTime() / 1000)
  if (!row) {
    // Missing from the report is proof of youth only for a user created after it: a user
    // renamed since (UpdateUser keeps its keys, of any age) is missing too.
    return userCreated !== undefined && userCreated.getTime() > report.generatedAt.getTime()
      ? 'not-in-report'
      : 'list-keys'
  }
  // The row must be about this very user, not a former holder of the name.
  if (
    userCreated === undefined ||
    row.created === null ||
    second(row.created) !== second(userCreated)
  )
    return 'list-keys'
  return row.slots.some(slotHoldsKey) ? 'list-keys' : 'no-key-in-report'
}

/**
 * Whether a report slot shows a key. AWS documents `access_key_N_last_rotated` as N/A when the
 * key is not active, so an Inactive key may show only through its last use; an Inactive key
 * never used looks exactly like no key (see `planUser`'s callers and the README).
 */
function slotHoldsKey(slot: ReportSlot): boolean {
  return slot.active || slot.lastRotated !== null || slot.lastUsed !== null
}

/** The last use of a key, settled by the report, or why it must be asked live. */
export type KeyPlan =
  | { readonly source: 'credential-report'; readonly lastUse: ReportLastUse }
  | {
      readonly source: 'api'
      readonly why:
        | 'no-report'
        | 'no-slot'
        | 'ambiguous-slot'
        | 'never-used'
        | 'no-information'
        | 'past-threshold'
    }

/**
 * Decides whether a key's last use can be taken from the report. Pure: plain data, policy and
 * `now` in, a decision out.
 *
 * A key's last use can only be more recent than the report says, so idle time read from the
 * report is an upper bound: a key the report shows used within `max-idle-days` (and within
 * `warn-idle-days` when set) is certainly neither idle nor warned for idleness, whatever happened
 * since. Every other key is asked live: one the report shows past a threshold or never used
 * (it may have been used since), and one not matched to exactly one report slot by its creation
 * time (created since, or rotated). Age is never taken from here.
 */
export function planKey(
  report: CredentialReport,
  userName: string,
  key: { readonly createDate: Date },
  policy: Policy,
  now: Date
): KeyPlan {
  const row = report.users.get(userName.toLowerCase())
  const created = Math.floor(key.createDate.getTime() / 1000)
  const matches = (row?.slots ?? []).filter(
    s => s.lastRotated !== null && Math.floor(s.lastRotated.getTime() / 1000) === created
  )
  if (matches.length === 0) return { source: 'api', why: 'no-slot' }
  if (matches.length > 1) return { source: 'api', why: 'ambiguous-slot' }
  const used = (matches[0] as ReportSlot).lastUsed
  if (used === null) return { source: 'api', why: 'never-used' }
  if (used === 'unknown') return { source: 'api', why: 'no-information' }
  const idle = wholeDays(used.date, now)
  const limit = Math.min(policy.maxIdleDays, policy.warnIdleDays ?? policy.maxIdleDays)
  if (idle > limit) return { source: 'api', why: 'past-threshold' }
  return { source: 'credential-report', lastUse: used }
}

/**
 * True when a key created after the report was generated cannot break policy nor warn: its age
 * and its idle time are at most the report's age in whole days, which must not exceed any
 * threshold. AWS serves a report at most 4 hours old, so this holds unless the clock or the
 * report is off; when it does not hold the report is not used.
 */
export function reportSettlesNewKeys(generatedAt: Date, policy: Policy, now: Date): boolean {
  const thresholds = [
    policy.maxAgeDays,
    policy.maxIdleDays,
    policy.warnAgeDays,
    policy.warnIdleDays
  ].filter((n): n is number => n !== null)
  return wholeDays(generatedAt, now) <= Math.min(...thresholds)
}

/** How the first pass reaches IAM: through the inventory's call wrapper (limits, retries, counts). */
export type Call = <T>(operation: string, send: () => Promise<T>) => Promise<T>

export interface FetchOptions {
  readonly call: Call
  readonly sleep: Sleep
  /** Give up waiting for `COMPLETE` after this long (counted in sleeps, so tests need no clock). */
  readonly maxWaitMs: number
  /** First pause between polls; it doubles up to `maxPollMs`. */
  readonly pollMs?: number
  readonly maxPollMs?: number
  readonly info?: (message: string) => void
}

export type FetchResult =
  | { readonly ok: true; readonly report: CredentialReport }
  | { readonly ok: false; readonly reason: string }

/** Errors of GetCredentialReport after which generating again is the way on (wire codes and SDK names). */
const REGENERATE = new Set([
  'ReportInProgress',
  'ReportNotPresent',
  'ReportExpired',
  'CredentialReportNotReadyException',
  'CredentialReportNotPresentException',
  'CredentialReportExpiredException'
])

/**
 * Generates the credential report (or reuses AWS's cached one), waits for it within a bounded
 * time, downloads and parses it. It never throws: any failure comes back as a reason, and the
 * caller falls back to asking every key live.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  opts: FetchOptions
): Promise<FetchResult> {
  const fail = (reason: string): FetchResult => ({ ok: false, reason })
  const denied = (operation: string, error: unknown): FetchResult => {
    const code = awsErrorCode(error)
    const hint =
      code === 'AccessDenied' || code === 'AccessDeniedException'
        ? ` (the role needs iam:GenerateCredentialReport and iam:GetCredentialReport for last-used-source: credential-report)`
        : ''
    return fail(`${operation} failed: ${errorMessage(error)}${hint}`)
  }
  let waited = 0
  let pause = opts.pollMs ?? 250
  let lastState = ''
  for (;;) {
    let state: string
    try {
      const out = await opts.call('GenerateCredentialReport', () =>
        iam.send(new GenerateCredentialReportCommand({}))
      )
      state = out.State ?? 'UNKNOWN'
      if (state !== lastState)
        opts.info?.(`Credential report: ${state}${out.Description ? ` (${out.Description})` : ''}`)
      lastState = state
    } catch (error) {
      return denied('GenerateCredentialReport', error)
    }
    if (state === 'COMPLETE') {
      try {
        const out = await opts.call('GetCredentialReport', () =>
          iam.send(new GetCredentialReportCommand({}))
        )
        if (!out.GeneratedTime || !out.Content)
          return fail('GetCredentialReport answered without Content or GeneratedTime')
        const csv = Buffer.from(out.Content).toString('utf8')
        return { ok: true, report: parseCredentialReport(csv, out.GeneratedTime) }
      } catch (error) {
        if (error instanceof MalformedReportError)
          return fail(`the credential report is malformed: ${error.message}`)
        // The cached report expired or was replaced between the two calls: generate again.
        if (!REGENERATE.has(awsErrorCode(error) ?? '')) return denied('GetCredentialReport', error)
        lastState = awsErrorCode(error) ?? ''
      }
    }
    if (waited >= opts.maxWaitMs)
      return fail(
        `the credential report was still not ready after ${Math.round(opts.maxWaitMs / 1000)} s (last state ${lastState})`
      )
    const wait = Math.min(pause, opts.maxWaitMs - waited)
    await opts.sleep(wait)
    waited += wait
    pause = Math.min(pause * 2, opts.maxPollMs ?? 5000)
  }
}

export interface FirstPassOptions {
  readonly policy: Policy
  readonly now: Date
  readonly maxWaitMs: number
  readonly pollMs?: number
  /**
   * List every user's keys all the same: a rule that a key created since the report can
   * break (`multiple-active-keys: fail`) or that needs every inactive key (`max-inactive-days`).
   */
  readonly listEveryUser?: boolean
  readonly call: Call
  readonly sleep: Sleep
  readonly info?: (message: string) => void
  /** Called once, when the report cannot be used. */
  readonly warning?: (message: string) => void
}

/** The credential report's first pass, started once per audit and consulted per user and key. */
export interface FirstPass {
  /** Live counters; `generatedAt` and `fallbackReason` are set once the report is settled. */
  readonly use: CredentialReportUse
  /** Waits for the report; 'list-keys' when it could not be used. */
  planUser(userName: string, userCreated?: Date): Promise<UserPlan>
  /** Waits for the report; asks live when it could not be used. */
  planKey(userName: string, key: { readonly createDate: Date }): Promise<KeyPlan>
}

/**
 * Starts fetching the report and returns the plan that the inventory consults. A report that
 * cannot be used gives one warning, and then every user is listed and every key asked live,
 * as in api mode.
 */
export function startFirstPass(iam: IAMClient, opts: FirstPassOptions): FirstPass {
  const use = {
    generatedAt: null as Date | null,
    fallbackReason: null as string | null,
    usersNotListed: 0,
    usersNotInReport: 0,
    keysFromReport: 0,
    keysAskedLive: 0
  }
  // fetchCredentialReport does not throw; should it ever, the audit still goes on in api mode.
  const fetched = fetchCredentialReport(iam, opts).catch((error: unknown): FetchResult => ({
    ok: false,
    reason: errorMessage(error)
  }))
  const ready = fetched.then(result => {
    let reason = result.ok ? null : result.reason
    if (result.ok && !reportSettlesNewKeys(result.report.generatedAt, opts.policy, opts.now))
      reason = `the credential report was generated at ${result.report.generatedAt.toISOString()}, too long ago to vouch for keys created since`
    if (!result.ok || reason !== null) {
      use.fallbackReason = reason
      opts.warning?.(
        `The credential report is not used, so every key's last use is asked live (GetAccessKeyLastUsed): ${reason}`
      )
      return null
    }
    use.generatedAt = result.report.generatedAt
    return result.report
  })
  return {
    use,
    planUser: async (userName, userCreated) => {
      const report = await ready
      if (!report || opts.listEveryUser) return 'list-keys'
      const plan = planUser(report, userName, userCreated)
      if (plan === 'no-key-in-report') use.usersNotListed++
      if (plan === 'not-in-report') use.usersNotInReport++
      return plan
    },
    planKey: async (userName, key) => {
      const report = await ready
      if (!report) return { source: 'api', why: 'no-report' }
      const plan = planKey(report, userName, key, opts.policy, opts.now)
      if (plan.source === 'credential-report') use.keysFromReport++
      else use.keysAskedLive++
      return plan
    }
  }
}
