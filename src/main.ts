import * as core from '@actions/core'
import { IAMClient } from '@aws-sdk/client-iam'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseConfig, type InputName } from './config.js'
import { resolveIdentity } from './credentials.js'
import { describeFailure } from './errors.js'
import { failureMessage, violationAnnotations } from './gate.js'
import { readInventory } from './inventory.js'
import { judge } from './judge.js'
import { buildReport, type Report } from './report.js'
import { renderStartFailure, renderSummary } from './summary.js'

/** IAM calls in flight at most. */
const CONCURRENCY = 16

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
  const config = parseConfig((name: InputName) => core.getInput(name))
  const now = new Date(started)

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

  const iam = new IAMClient({
    region: config.awsRegion,
    credentials: identity.credentials,
    maxAttempts: 1
  })
  const inventory = await core.group(
    `Reading IAM users and access keys of account ${identity.accountId}`,
    async () => {
      const inv = await readInventory(iam, {
        accountId: identity.accountId,
        concurrency: CONCURRENCY,
        log: message => core.warning(message),
        debug: message => core.debug(message)
      })
      core.info(
        `Read ${inv.usersScanned} users and ${inv.keys.length} access keys with ${inv.stats.calls} IAM calls ` +
          `(${inv.stats.retries} retries, ${inv.stats.throttled} throttled, ${inv.stats.failed} failed) in ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`
      )
      return inv
    }
  )
  iam.destroy()

  const rows = judge(inventory, config.policy, now)
  const report = buildReport(inventory, rows, config.policy, now, config.revealKeyIds)
  const reportPath = config.reportPath ?? defaultReportPath(identity.accountId)
  let failure: string | null = null
  try {
    await mkdir(dirname(reportPath), { recursive: true })
    await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n')
    core.info(`Report written to ${reportPath}`)
  } catch (error) {
    failure = `Could not write the report file '${reportPath}' (input report-path): ${describeFailure(error)}`
  }

  await writeSummary(
    renderSummary({
      report,
      rows,
      policy: config.policy,
      now,
      revealKeyIds: config.revealKeyIds,
      reportPath,
      seconds: (Date.now() - started) / 1000
    })
  )
  setOutputs(report, reportPath)
  for (const message of violationAnnotations(rows, config.policy, config.revealKeyIds)) {
    core.error(message, { title: 'IAM access key out of policy' })
  }
  const verdict = failureMessage(report, rows, config.policy, config)
  return [verdict, failure].filter(Boolean).join('; ') || null
}

function setOutputs(report: Report, reportPath: string): void {
  const t = report.totals
  core.setOutput('compliant', String(t.violation === 0 && report.complete))
  core.setOutput('violations', String(t.violation))
  core.setOutput('warnings', String(t.warning))
  core.setOutput('keys-scanned', String(t.keys))
  core.setOutput('users-scanned', String(t.users))
  core.setOutput('errors', String(report.errors.length))
  core.setOutput('report-path', reportPath)
  core.setOutput('issue-number', '')
  core.setOutput('issue-url', '')
}

function defaultReportPath(accountId: string): string {
  return join(process.env.RUNNER_TEMP || tmpdir(), `iam-access-key-gate-${accountId}.json`)
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the log. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(markdown)
    return
  }
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeFailure(error)}`)
  }
}
