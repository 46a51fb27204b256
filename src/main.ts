import * as core from '@actions/core'
import { auditAccount, type AccountAudit } from './account.js'
import { parseConfig, type Config, type InputName } from './config.js'
import { resolveIdentity } from './credentials.js'
import { describeFailure } from './errors.js'
import { failureMessage, violationAnnotations } from './gate.js'
import { withIssueLine, type IssueOutcome } from './issue.js'
import { issueStep } from './issue-step.js'
import {
  deactivationNote,
  renderLateFailure,
  renderStartFailure,
  renderSummary
} from './summary.js'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Identity } from './credentials.js'
import {
  buildCombinedReport,
  combinedTotals,
  manyFailureMessage,
  renderManySummary,
  type AccountOutcome
} from './multi.js'
import { writeJsonFile } from './json-file.js'
import { Pool } from './pool.js'
import { markCommitted, reachStage, SUMMARY_WRITTEN } from './thread.js'
import { assumeAccountRole, listOrganizationAccounts, partitionOf } from './targets.js'

/**
 * Accounts audited side by side. Each has its own IAM rate, so they do not slow each other
 * down; beyond this the runner's CPU and sockets are the limit.
 */
export const ACCOUNTS_IN_PARALLEL = 25

/**
 * The whole run. It calls `core.setFailed` exactly once when the step must fail, whatever
 * was thrown, and writes the summary (and, once credentials worked, the report) in every case.
 */
export async function run(): Promise<void> {
  const started = Date.now()
  let failure: string | null
  try {
    failure = await audit(started)
  } catch (error) {
    failure = describeFailure(error)
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack)
    core.setOutput('compliant', 'false')
    await writeSummary(renderStartFailure(failure))
  }
  if (failure !== null) core.setFailed(failure)
}

async function audit(started: number): Promise<string | null> {
  const now = new Date(started)
  const config = parseConfig((name: InputName) => core.getInput(name), now)
  if (config.dryRun) core.warning('dry-run is on: every step runs, but nothing is written')

  const identity = await core.group('AWS credentials', async () => {
    const id = await resolveIdentity(config, {
      getIDToken: aud => core.getIDToken(aud),
      setSecret: value => core.setSecret(value),
      log: message => core.info(message),
      env: process.env
    })
    core.info(`Auditing account ${id.accountId} as ${id.arn}`)
    return id
  })
  if (config.accounts.length > 0 || config.organization)
    return auditMany(config, identity, now, started)

  const result = await core.group(
    `Reading IAM users and access keys of account ${identity.accountId}`,
    () =>
      auditAccount(config, identity.accountId, identity.credentials, now, {
        info: message => core.info(message),
        warning: message => core.warning(message),
        debug: message => core.debug(message)
      })
  )

  const summary = renderSummary({
    report: result.report,
    rows: result.rows,
    policy: config.policy,
    now,
    revealKeyIds: config.revealKeyIds,
    reportPath: result.reportPath,
    seconds: (Date.now() - started) / 1000,
    deactivation: deactivationNote(config)
  })
  markCommitted()
  const issue = await issueStep(config, result, now)
  await writeSummary(withIssueLine(summary, issue))
  setOutputs(result, issue)
  for (const message of violationAnnotations(result.rows, config.policy, config.revealKeyIds)) {
    core.error(message, { title: 'IAM access key out of policy' })
  }
  return verdictOf(config, result)
}

/**
 * Many accounts: each one's role is assumed from the role-to-assume session and audited with
 * its own rate controller; an account that cannot be audited becomes an `error` line and the
 * others go on. The run fails closed.
 */
async function auditMany(
  config: Config,
  identity: Identity,
  now: Date,
  started: number
): Promise<string | null> {
  const deps = {
    region: config.awsRegion,
    credentials: identity.credentials,
    setSecret: (value: string) => core.setSecret(value),
    log: (message: string) => core.info(message)
  }
  const accountIds = config.organization
    ? await core.group('Listing the organization’s accounts', async () => {
        const ids = await listOrganizationAccounts(config.organizationOus, deps)
        core.info(`${ids.length} active accounts: ${ids.join(', ')}`)
        return ids
      })
    : config.accounts
  const partition = partitionOf(config.roleToAssume, config.awsRegion)
  const pool = new Pool(ACCOUNTS_IN_PARALLEL)

  const outcomes = await core.group(
    `Reading IAM users and access keys of ${accountIds.length} accounts`,
    () =>
      Promise.all(
        accountIds.map(accountId =>
          pool.run(async (): Promise<AccountOutcome> => {
            try {
              const roleArn = `arn:${partition}:iam::${accountId}:role/${config.accountRoleName}`
              const credentials = await assumeAccountRole(
                accountId,
                roleArn,
                config.roleSessionName,
                deps
              )
              const audit = await auditAccount(
                { ...config, reportPath: accountReportPath(config, accountId) },
                accountId,
                credentials,
                now,
                {
                  info: message => core.info(message),
                  warning: message => core.warning(`Account ${accountId}: ${message}`),
                  debug: message => core.debug(`Account ${accountId}: ${message}`)
                }
              )
              return { accountId, audit, error: null }
            } catch (error) {
              const message = describeFailure(error)
              core.warning(`Account ${accountId} could not be audited: ${message}`)
              return { accountId, audit: null, error: message }
            }
          })
        )
      )
  )

  // Annotations and tracking issues come after all audits, one account at a time, so their
  // lines do not interleave; and a run that runs out of memory while auditing (launch.ts
  // starts it again) has shown none yet.
  for (const { accountId, audit } of outcomes) {
    if (!audit) continue
    for (const message of violationAnnotations(audit.rows, config.policy, config.revealKeyIds))
      core.error(`Account ${accountId}: ${message}`, { title: 'IAM access key out of policy' })
  }
  markCommitted()
  const issues = new Map<string, IssueOutcome>()
  for (const o of outcomes)
    if (o.audit) issues.set(o.accountId, await issueStep(config, o.audit, now))

  const combinedPath =
    config.reportPath ?? join(process.env.RUNNER_TEMP || tmpdir(), 'iam-access-key-gate-all.json')
  let writeError: string | null = null
  try {
    await mkdir(dirname(combinedPath), { recursive: true })
    await writeJsonFile(combinedPath, buildCombinedReport(outcomes, now))
    core.info(`Combined report written to ${combinedPath}`)
  } catch (error) {
    writeError = `Could not write the report file '${combinedPath}' (input report-path): ${describeFailure(error)}`
  }
  await writeSummary(
    renderManySummary(outcomes, config, now, (Date.now() - started) / 1000, combinedPath, issues)
  )
  const t = combinedTotals(outcomes)
  core.setOutput('compliant', String(t.violations === 0 && t.complete))
  core.setOutput('violations', String(t.violations))
  core.setOutput('warnings', String(t.warnings))
  core.setOutput('keys-scanned', String(t.keys))
  core.setOutput('users-scanned', String(t.users))
  core.setOutput('errors', String(t.errors))
  core.setOutput('report-path', combinedPath)
  // One issue per account: the outputs list every issue this run touched, comma-separated.
  const touched = [...issues.values()].filter(i => i.number !== null)
  core.setOutput('issue-number', touched.map(i => i.number).join(','))
  core.setOutput('issue-url', touched.map(i => i.url ?? '').join(','))
  return [manyFailureMessage(outcomes, config), writeError].filter(Boolean).join('\n') || null
}

/** With many accounts, each account's report sits next to the combined one. */
function accountReportPath(config: Config, accountId: string): string | null {
  if (config.reportPath === null) return null
  return `${config.reportPath.replace(/\.json$/i, '')}-${accountId}.json`
}

/** The step's failure message, or null when it passes. */
function verdictOf(config: Config, result: AccountAudit): string | null {
  const verdict = failureMessage(result.report, result.rows, config.policy, config)
  return [verdict, result.reportWriteError].filter(Boolean).join('; ') || null
}

function setOutputs(result: AccountAudit, issue: IssueOutcome): void {
  const { report } = result
  const t = report.totals
  core.setOutput('compliant', String(t.violation === 0 && report.complete))
  core.setOutput('violations', String(t.violation))
  core.setOutput('warnings', String(t.warning))
  core.setOutput('keys-scanned', String(t.keys))
  core.setOutput('users-scanned', String(t.users))
  core.setOutput('errors', String(report.errors.length))
  core.setOutput('report-path', result.reportPath)
  core.setOutput('issue-number', issue.number === null ? '' : String(issue.number))
  core.setOutput('issue-url', issue.url ?? '')
}

/**
 * Reports a run whose audit thread died before it gave a verdict (see `launch.ts`): the
 * summary says so — below the verdict when that was already written — `compliant` is
 * `false`, and the step fails.
 */
export async function reportCrash(message: string, summaryWritten: boolean): Promise<void> {
  core.endGroup() // the thread that died may have left a log group open
  core.setOutput('compliant', 'false')
  await writeSummary(
    summaryWritten
      ? renderLateFailure(message)
      : renderStartFailure(message, 'the audit did not finish')
  )
  core.setFailed(message)
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the log. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(markdown)
    return
  }
  try {
    markCommitted()
    await core.summary.addRaw(markdown).write()
    reachStage(SUMMARY_WRITTEN)
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeFailure(error)}`)
  }
}
