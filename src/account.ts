import { IAMClient } from '@aws-sdk/client-iam'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Config } from './config.js'
import type { AwsCredentialIdentity } from './credentials.js'
import { describeFailure } from './errors.js'
import { plural } from './format.js'
import { applyDeactivation } from './deactivate.js'
import { markCommitted } from './thread.js'
import { readInventory } from './inventory.js'
import { writeJsonFile } from './json-file.js'
import { progressLogger } from './progress.js'
import { judge } from './judge.js'
import type { AuditError, Inventory, JudgedKey, UserPolicy } from './model.js'
import { buildReport, type Report } from './report.js'
import { userPolicyFromTags } from './user-tags.js'

/** Everything one account's audit produced, for the renderers and the actions after it. */
export interface AccountAudit {
  readonly accountId: string
  readonly inventory: Inventory
  readonly rows: readonly JudgedKey[]
  readonly report: Report
  readonly reportPath: string
  /** Set when the report file could not be written. */
  readonly reportWriteError: string | null
}

export interface AccountLog {
  info: (message: string) => void
  warning: (message: string) => void
  debug: (message: string) => void
}

/**
 * Audits one account: reads the inventory (in scope, with user tags when asked), judges it,
 * deactivates keys when `deactivate` is on, and writes its report file. It does not throw for
 * failed AWS calls; those make the audit incomplete.
 */
export async function auditAccount(
  config: Config,
  accountId: string,
  credentials: AwsCredentialIdentity | undefined,
  now: Date,
  log: AccountLog
): Promise<AccountAudit> {
  const started = Date.now()
  const iam = new IAMClient({ region: config.awsRegion, credentials, maxAttempts: 1 })
  let inventory: Inventory
  let rows: JudgedKey[]
  const extraErrors: AuditError[] = []
  const notes: string[] = []
  try {
    inventory = await readInventory(iam, {
      accountId,
      concurrency: config.maxConcurrency,
      revealKeyIds: config.revealKeyIds,
      log: message => log.warning(message),
      debug: message => log.debug(message),
      scope: config.scope,
      userTags: config.userTags,
      info: message => log.info(message),
      warning: message => log.warning(message),
      ...(config.lastUsedSource === 'credential-report'
        ? {
            credentialReport: {
              // A user tag may tighten max-idle-days down to 1 day, and the report's date can
              // be hours stale: with tags on, only a use within a day settles a key.
              policy: config.userTags
                ? { ...config.policy, maxIdleDays: 1, warnIdleDays: null }
                : config.policy,
              now,
              maxWaitMs: config.credentialReportWaitSeconds * 1000,
              listEveryUser:
                config.policy.multipleActiveKeys === 'fail' ||
                config.policy.maxInactiveDays !== null
            }
          }
        : {}),
      onProgress: progressLogger({ accountId, log: line => log.info(line) })
    })
    log.info(
      `Read ${inventory.usersScanned} users and ${inventory.keys.length} access keys of account ${accountId} with ` +
        `${inventory.stats.calls} IAM calls (${inventory.stats.retries} retries, ${inventory.stats.throttled} throttled, ` +
        `${inventory.stats.failed} failed) in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (inventory.usersExcluded ? `; ${plural(inventory.usersExcluded, 'user')} out of scope` : '')
    )

    const userPolicies = new Map<string, UserPolicy>()
    for (const [user, tags] of inventory.userTags ?? []) {
      const own = userPolicyFromTags(user, tags, config.policy, config.allowTagRelaxation, now)
      if (own.policy) userPolicies.set(user, own.policy)
      for (const message of own.problems) {
        // A bad tag is someone's intended policy that we could not apply: the audit of that
        // user is not what they asked for, so it counts as an error (fail closed).
        extraErrors.push({ user, operation: 'UserTag', message })
        log.warning(message)
      }
      for (const message of own.ignored) {
        notes.push(message)
        log.info(message)
      }
    }

    rows = judge(inventory, config.policy, now, { exemptions: config.exemptions, userPolicies })
    if (config.deactivate !== 'off') {
      // The run's one dry-run warning comes from main; this only says what it means here.
      if (config.dryRun)
        log.info(
          `dry-run: deactivate: ${config.deactivate} only lists the keys it would set Inactive; no key is changed`
        )
      if (!config.dryRun) markCommitted()
      const done = await applyDeactivation(iam, rows, {
        mode: config.deactivate,
        dryRun: config.dryRun,
        now,
        revealKeyIds: config.revealKeyIds,
        log: message => log.info(message),
        warn: message => log.warning(message)
      })
      rows = done.rows
      extraErrors.push(...done.errors)
      inventory.stats.calls += done.calls
    }
  } finally {
    iam.destroy()
  }
  if (extraErrors.length > 0)
    inventory = { ...inventory, errors: [...inventory.errors, ...extraErrors], complete: false }

  const report = buildReport(inventory, rows, config.policy, now, config.revealKeyIds, {
    exemptions: config.exemptions,
    notes
  })
  const reportPath = config.reportPath ?? defaultReportPath(accountId)
  let reportWriteError: string | null = null
  try {
    await mkdir(dirname(reportPath), { recursive: true })
    await writeJsonFile(reportPath, report)
    log.info(`Report written to ${reportPath}`)
  } catch (error) {
    reportWriteError = `Could not write the report file '${reportPath}' (input report-path): ${describeFailure(error)}`
  }
  return { accountId, inventory, rows, report, reportPath, reportWriteError }
}

function defaultReportPath(accountId: string): string {
  return join(process.env.RUNNER_TEMP || tmpdir(), `iam-access-key-gate-${accountId}.json`)
}
