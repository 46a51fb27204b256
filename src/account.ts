import { IAMClient } from '@aws-sdk/client-iam'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Config } from './config.js'
import type { AwsCredentialIdentity } from './credentials.js'
import { describeFailure } from './errors.js'
import { readInventory } from './inventory.js'
import { progressLogger } from './progress.js'
import { judge } from './judge.js'
import type { Inventory, JudgedKey } from './model.js'
import { buildReport, type Report } from './report.js'

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
 * Audits one account: reads the inventory, judges it, and writes its report file. It does
 * not throw for failed AWS calls; those make the audit incomplete.
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
  try {
    inventory = await readInventory(iam, {
      accountId,
      concurrency: config.maxConcurrency,
      log: message => log.warning(message),
      debug: message => log.debug(message),
      onProgress: progressLogger({ accountId, log: line => log.info(line) })
    })
  } finally {
    iam.destroy()
  }
  log.info(
    `Read ${inventory.usersScanned} users and ${inventory.keys.length} access keys of account ${accountId} with ` +
      `${inventory.stats.calls} IAM calls (${inventory.stats.retries} retries, ${inventory.stats.throttled} throttled, ` +
      `${inventory.stats.failed} failed) in ${((Date.now() - started) / 1000).toFixed(1)} s`
  )

  const rows = judge(inventory, config.policy, now)
  const report = buildReport(inventory, rows, config.policy, now, config.revealKeyIds)
  const reportPath = config.reportPath ?? defaultReportPath(accountId)
  let reportWriteError: string | null = null
  try {
    await mkdir(dirname(reportPath), { recursive: true })
    await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n')
    log.info(`Report written to ${reportPath}`)
  } catch (error) {
    reportWriteError = `Could not write the report file '${reportPath}' (input report-path): ${describeFailure(error)}`
  }
  return { accountId, inventory, rows, report, reportPath, reportWriteError }
}

function defaultReportPath(accountId: string): string {
  return join(process.env.RUNNER_TEMP || tmpdir(), `iam-access-key-gate-${accountId}.json`)
}
