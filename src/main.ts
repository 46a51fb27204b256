import * as core from '@actions/core'
import { auditAccount, type AccountAudit } from './account.js'
import { parseConfig, type Config, type InputName } from './config.js'
import { resolveIdentity } from './credentials.js'
import { describeFailure } from './errors.js'
import { failureMessage, violationAnnotations } from './gate.js'
import { withIssueLine, type IssueOutcome } from './issue.js'
import { issueStep } from './issue-step.js'
import { renderStartFailure, renderSummary } from './summary.js'

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
    deactivation:
      config.deactivate === 'off'
        ? null
        : `${config.deactivate}${config.dryRun ? ' (dry-run: nothing changed)' : ''}`
  })
  const issue = await issueStep(config, result, now)
  await writeSummary(withIssueLine(summary, issue))
  setOutputs(result, issue)
  for (const message of violationAnnotations(result.rows, config.policy, config.revealKeyIds)) {
    core.error(message, { title: 'IAM access key out of policy' })
  }
  return verdictOf(config, result)
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
