import * as core from '@actions/core'
import type { AccountAudit } from './account.js'
import type { Config } from './config.js'
import type { GithubStats } from './github.js'
import { githubFailure, ISSUE_OFF, trackIssue, type IssueApi, type IssueOutcome } from './issue.js'
import type { RunInfo } from './issue-body.js'

/** The workflow run from the runner's variables; the link is null outside a runner. */
export function runInfo(env: NodeJS.ProcessEnv, at: Date): RunInfo {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const repo = env.GITHUB_REPOSITORY
  const id = env.GITHUB_RUN_ID
  return { url: repo && id ? `${server}/${repo}/actions/runs/${id}` : null, id: id || null, at }
}

// One client per run: many accounts share its rate-limit state.
let client: { api: IssueApi; stats: GithubStats } | undefined

/**
 * The tracking issue step of one account, wired to the runner: its token, repository and
 * run, in a log group of its own. It never throws: a failure is one warning.
 */
export async function issueStep(
  config: Config,
  audit: AccountAudit,
  now: Date
): Promise<IssueOutcome> {
  if (!config.createIssue) return ISSUE_OFF
  return core.group(`Tracking issue of account ${audit.accountId}`, async () => {
    const started = Date.now()
    try {
      if (config.githubToken !== null) core.setSecret(config.githubToken)
      // Octokit is loaded when the first issue is due, after the audit, not while it runs.
      const { githubIssueApi } = await import('./github.js')
      client ??= githubIssueApi({
        token: config.githubToken ?? '',
        repository: process.env.GITHUB_REPOSITORY ?? '',
        apiUrl: process.env.GITHUB_API_URL,
        fastRetries: process.env.IAM_ACCESS_KEY_GATE_FAST_RETRIES === 'true',
        log: { info: m => core.info(m), debug: m => core.debug(m) }
      })
    } catch (error) {
      const message = githubFailure(audit.accountId, error)
      core.warning(message)
      return {
        action: 'skipped',
        number: null,
        url: null,
        message,
        dryRun: config.dryRun,
        error: message
      }
    }
    const before = { ...client.stats }
    const outcome = await trackIssue(
      { config, audit, run: runInfo(process.env, now) },
      client.api,
      log
    )
    core.info(
      `GitHub: ${client.stats.requests - before.requests} requests (${client.stats.limited - before.limited} rate-limited or server errors) in ${((Date.now() - started) / 1000).toFixed(1)} s`
    )
    return outcome
  })
}

const log = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) }
