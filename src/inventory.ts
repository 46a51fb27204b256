import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  type AccessKeyMetadata,
  type User
} from '@aws-sdk/client-iam'
import type { Policy } from './config.js'
import { startFirstPass } from './credential-report.js'
import { errorMessage } from './errors.js'
import { redactKeyIds } from './format.js'
import type { AuditError, CallStats, Inventory, KeyRecord, UnreadUser } from './model.js'
import { Pool } from './pool.js'
import { RateController } from './rate.js'
import { isThrottling, realSleep, withRetry, type Sleep } from './retry.js'
import { inScope, type Scope } from './scope.js'
import { WorkQueue } from './work-queue.js'

export interface InventoryOptions {
  readonly accountId: string
  /** IAM calls in flight at most. */
  readonly concurrency: number
  /** Show full access key ids in messages (`reveal-key-ids`). */
  readonly revealKeyIds?: boolean
  /** Paces this account's calls; each account needs its own. Default: a new controller. */
  readonly rate?: RateController
  /** Attempts per call; throttled calls are delayed, not lost, so this is generous. */
  readonly attempts?: number
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
  readonly sleep?: Sleep
  readonly log?: (message: string) => void
  readonly debug?: (message: string) => void
  /** Called after each key's last use is known (or failed), with done and known totals. */
  readonly onProgress?: (progress: {
    keysDone: number
    keysKnown: number
    usersDone: number
    stats: CallStats
  }) => void
  /** Users to audit (`include-paths`, `exclude-users`); absent: everyone. */
  readonly scope?: Scope
  /** Read each audited user's tags (one ListUserTags call per user). */
  readonly userTags?: boolean
  /**
   * last-used-source: credential-report. The report settles what it can against `policy` at
   * `now`; everything else is asked live. Absent: every key is asked live.
   */
  readonly credentialReport?: {
    readonly policy: Policy
    readonly now: Date
    /** How long to wait for the report to be generated before falling back. */
    readonly maxWaitMs: number
    readonly pollMs?: number
    readonly listEveryUser?: boolean
  }
  /** The one warning of a credential report that could not be used. */
  readonly warning?: (message: string) => void
  readonly info?: (message: string) => void
}

/** The lanes of an account's work queue. */
const USERS = 0
const KEYS = 1

/** Words for an IAM operation in an error message. */
const WHAT: Record<string, (subject: string) => string> = {
  ListUsers: () => 'Could not list IAM users',
  ListAccessKeys: user => `Could not list access keys of user '${user}'`,
  GetAccessKeyLastUsed: key => `Could not read when access key ${key} was last used`,
  GetAccountSummary: () => 'Could not read the account summary (root access keys)',
  ListUserTags: user =>
    `Could not read the tags of user '${user}' (user-tags); the user is judged by the defaults`
}

/**
 * Reads every user, every access key and each key's last use from one account. It never
 * throws for a failed call: a failure is recorded in `errors`, the audit is marked incomplete,
 * and the run goes on with everything else.
 */
export async function readInventory(iam: IAMClient, opts: InventoryOptions): Promise<Inventory> {
  const pool = new Pool(opts.concurrency)
  const rate = opts.rate ?? new RateController()
  // Messages reach the log, the summary, the report and the failure line: no full key ids.
  const redact = (text: string): string => redactKeyIds(text, opts.revealKeyIds ?? false)
  const stats: CallStats = { calls: 0, retries: 0, throttled: 0, failed: 0 }
  const errors: AuditError[] = []
  const keys: KeyRecord[] = []
  const unreadUsers: UnreadUser[] = []
  const attempts = opts.attempts ?? 12
  let complete = true
  let usersScanned = 0
  let usersExcluded = 0
  let usersDone = 0
  const userTags = new Map<string, Record<string, string>>()

  const call = <T>(operation: string, send: () => Promise<T>, first = false): Promise<T> =>
    pool.run(
      () =>
        withRetry(
          async () => {
            const sentAt = await rate.acquire()
            stats.calls++
            try {
              const out = await send()
              rate.succeeded()
              return out
            } catch (error) {
              if (isThrottling(error)) rate.throttled(sentAt)
              else rate.succeeded()
              throw error
            }
          },
          {
            attempts,
            baseMs: opts.baseDelayMs ?? 100,
            capMs: opts.maxDelayMs ?? 20_000,
            sleep: opts.sleep,
            onRetry: ({ attempt, error, delayMs }) => {
              stats.retries++
              if (isThrottling(error)) stats.throttled++
              opts.debug?.(
                redact(
                  `${operation}: attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}; retrying in ${delayMs} ms`
                )
              )
            }
          }
        ).catch((error: unknown) => {
          stats.failed++
          if (isThrottling(error)) stats.throttled++
          throw error
        }),
      first
    )

  const fail = (user: string | null, operation: string, subject: string, error: unknown): void => {
    complete = false
    const message = redact(`${WHAT[operation]?.(subject) ?? operation}: ${errorMessage(error)}`)
    errors.push({ user, operation, message })
    opts.log?.(message)
  }

  // The first pass runs beside ListUsers; each user waits for it before its first call.
  const firstPass = opts.credentialReport
    ? startFirstPass(iam, {
        ...opts.credentialReport,
        call: (operation, send) => call(operation, send, true),
        sleep: opts.sleep ?? realSleep,
        info: opts.info,
        warning: opts.warning
      })
    : null

  const progress = (): void =>
    opts.onProgress?.({ keysDone: keys.length, keysKnown: keysKnown, usersDone, stats })
  let keysKnown = 0

  const readKey = async (user: User, meta: AccessKeyMetadata): Promise<void> => {
    const accessKeyId = meta.AccessKeyId ?? ''
    const record = {
      user: user.UserName ?? '',
      userPath: user.Path ?? '/',
      accessKeyId,
      status: meta.Status === 'Inactive' ? ('Inactive' as const) : ('Active' as const),
      createDate: meta.CreateDate ?? new Date(0)
    }
    const plan = firstPass ? await firstPass.planKey(record.user, record) : null
    if (plan?.source === 'credential-report') {
      keys.push({
        ...record,
        lastUsedDate: plan.lastUse.date,
        lastUsedService: plan.lastUse.service,
        lastUsedRegion: plan.lastUse.region,
        lastUsedSource: 'credential-report'
      })
      progress()
      return
    }
    try {
      const out = await call('GetAccessKeyLastUsed', () =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }))
      )
      const last = out.AccessKeyLastUsed
      keys.push({
        ...record,
        lastUsedDate: last?.LastUsedDate ?? null,
        lastUsedService: na(last?.ServiceName),
        lastUsedRegion: na(last?.Region),
        lastUsedSource: 'api'
      })
    } catch (error) {
      fail(record.user, 'GetAccessKeyLastUsed', accessKeyId, error)
      keys.push({
        ...record,
        lastUsedDate: null,
        lastUsedService: null,
        lastUsedRegion: null,
        lastUsedUnknown: true,
        lastUsedSource: 'api'
      })
    }
    progress()
  }

  // Users' key listings go before keys' last use, as a first-come queue would order them,
  // so the number of keys is known early and progress percentages mean something.
  const work = new WorkQueue<{ user: User; meta?: AccessKeyMetadata }>(
    opts.concurrency,
    2,
    ({ user, meta }) => (meta ? readKey(user, meta) : readUser(user))
  )

  const readTags = async (userName: string): Promise<void> => {
    try {
      const tags: Record<string, string> = {}
      let marker: string | undefined
      do {
        const page = await call('ListUserTags', () =>
          iam.send(new ListUserTagsCommand({ UserName: userName, Marker: marker }))
        )
        for (const t of page.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? ''
        marker = page.IsTruncated ? page.Marker : undefined
      } while (marker)
      userTags.set(userName, tags)
    } catch (error) {
      fail(userName, 'ListUserTags', userName, error)
    }
  }

  const readUser = async (user: User): Promise<void> => {
    const userName = user.UserName ?? ''
    const tagsRead = opts.userTags ? readTags(userName) : Promise.resolve()
    await Promise.all([readKeys(user, userName), tagsRead])
  }

  const readKeys = async (user: User, userName: string): Promise<void> => {
    if (firstPass && (await firstPass.planUser(userName, user.CreateDate)) !== 'list-keys') {
      usersDone++
      return
    }
    let metas: AccessKeyMetadata[] = []
    try {
      let marker: string | undefined
      do {
        const page = await call('ListAccessKeys', () =>
          iam.send(new ListAccessKeysCommand({ UserName: userName, Marker: marker }))
        )
        metas = metas.concat(page.AccessKeyMetadata ?? [])
        marker = page.IsTruncated ? page.Marker : undefined
      } while (marker)
    } catch (error) {
      fail(userName, 'ListAccessKeys', userName, error)
      unreadUsers.push({ user: userName, userPath: user.Path ?? '/' })
      usersDone++
      return
    }
    keysKnown += metas.length
    usersDone++
    for (const meta of metas) work.push(KEYS, { user, meta })
  }

  const rootCheck = call('GetAccountSummary', () =>
    iam.send(new GetAccountSummaryCommand({}))
  ).then(
    out => (out.SummaryMap?.AccountAccessKeysPresent ?? 0) > 0,
    (error: unknown) => {
      fail(null, 'GetAccountSummary', '', error)
      return null
    }
  )
  // The alias only decorates the summary, and iam:ListAccountAliases is optional: a denial
  // is not an audit error.
  const alias = call('ListAccountAliases', () => iam.send(new ListAccountAliasesCommand({}))).then(
    out => out.AccountAliases?.[0] ?? null,
    (error: unknown) => {
      opts.debug?.(`No account alias: ${errorMessage(error)}`)
      return null
    }
  )

  // Users are read page by page; each page's users start while the next page is fetched.
  try {
    let marker: string | undefined
    do {
      const page = await call(
        'ListUsers',
        () => iam.send(new ListUsersCommand({ Marker: marker, MaxItems: 1000 })),
        true
      )
      for (const user of page.Users ?? []) {
        // Out of scope: no call is made for the user, and it is counted, not silently lost.
        if (opts.scope && !inScope(opts.scope, user.UserName ?? '', user.Path ?? '/')) {
          usersExcluded++
          continue
        }
        usersScanned++
        work.push(USERS, { user })
      }
      marker = page.IsTruncated ? page.Marker : undefined
    } while (marker)
  } catch (error) {
    fail(null, 'ListUsers', '', error)
  } finally {
    work.close()
  }
  await work.done()

  return {
    accountId: opts.accountId,
    accountAlias: await alias,
    usersScanned,
    keys,
    unreadUsers,
    rootAccessKeysPresent: await rootCheck,
    errors,
    complete,
    stats,
    usersExcluded,
    ...(opts.userTags ? { userTags } : {}),
    credentialReport: firstPass?.use ?? null
  }
}

/** IAM answers "N/A" for the service and region of a key that was never used. */
function na(value: string | undefined): string | null {
  return value === undefined || value === '' || value === 'N/A' ? null : value
}
