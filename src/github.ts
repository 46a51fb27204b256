import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'
import type { IssueApi, IssueRecord } from './issue.js'

/** Counts of the GitHub requests one run made, for the log. */
export interface GithubStats {
  requests: number
  /** Answers that are waited out and retried: rate limits and server errors. */
  limited: number
}

export interface GithubLog {
  info: (message: string) => void
  debug: (message: string) => void
}

export interface GithubClientOptions {
  token: string
  /** `owner/name`, from GITHUB_REPOSITORY. */
  repository: string
  /** GITHUB_API_URL; default https://api.github.com. */
  apiUrl?: string
  /**
   * Divides every wait (rate limits, 5xx back-off) by 100. Only honoured for an API on a
   * loopback address, which only the project's emulator is, so it cannot hammer GitHub.
   */
  fastRetries?: boolean
  log: GithubLog
}

/** Rate-limit waits longer than this are not waited out: the run would idle too long. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120
const RATE_LIMIT_RETRIES = 3

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
  } catch {
    return false
  }
}

type Fetch = typeof fetch

/** The throttling plugin's pacing, a hundred times faster: for the emulator only. */
function fastPacing(): Record<string, Bottleneck.Group> {
  return {
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 10 }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 30 }),
    search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 20 })
  }
}

/**
 * An Octokit for the issue calls, with the throttling plugin (waits out primary and
 * secondary rate limits) and the retry plugin (retries 5xx with back-off), and an
 * IssueApi over it.
 */
export function githubIssueApi(opts: GithubClientOptions): { api: IssueApi; stats: GithubStats } {
  const [owner = '', repo = ''] = opts.repository.split('/')
  if (owner === '' || repo === '') {
    throw new Error(`GITHUB_REPOSITORY must be 'owner/name', got '${opts.repository}'`)
  }
  const baseUrl = (opts.apiUrl || 'https://api.github.com').replace(/\/+$/, '')
  const fast = opts.fastRetries === true && isLoopback(baseUrl)
  const scale = fast ? 0.01 : 1
  const stats: GithubStats = { requests: 0, limited: 0 }
  const path = (url: string): string => (url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url)
  // @actions/github's defaults carry the runner's proxy settings in `request.fetch`; passing
  // `request` replaces them wholesale, so they are kept here explicitly.
  const baseFetch = (defaults.request?.fetch as Fetch | undefined) ?? fetch
  const countingFetch: Fetch = async (input, init) => {
    stats.requests++
    const response = await baseFetch(input, init)
    const limited =
      response.status >= 500 ||
      response.status === 429 ||
      response.headers.has('retry-after') ||
      response.headers.get('x-ratelimit-remaining') === '0'
    if (limited) stats.limited++
    if (response.status >= 400) {
      opts.log.debug(
        `GitHub answered ${response.status} to ${init?.method ?? 'GET'} ${path(String(input))}`
      )
    }
    return response
  }
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string },
      _o: unknown,
      retryCount: number
    ): boolean => {
      const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
      opts.log.info(
        `GitHub ${kind} rate limit on ${options.method} ${path(options.url)}: ` +
          (retrying
            ? `waiting ${retryAfter} s, then retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES}`
            : 'giving up')
      )
      return retrying
    }
  const octokit = getOctokit(
    opts.token,
    {
      baseUrl,
      request: { ...defaults.request, fetch: countingFetch },
      log: {
        // Octokit's own warnings would add to the one warning a failed issue step makes.
        debug: (m: string) => opts.log.debug(m),
        info: (m: string) => opts.log.debug(m),
        warn: (m: string) => opts.log.debug(m),
        error: (m: string) => opts.log.debug(m)
      },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: 1000 * scale,
        // The plugin spaces writes 1 s apart and notifying writes 3 s apart, as GitHub asks.
        ...(fast ? fastPacing() : {})
      },
      retry: { retryAfterBaseValue: 1000 * scale }
    },
    throttling,
    retry
  )

  const record = (issue: {
    number: number
    html_url: string
    title: string
    body?: string | null
  }): IssueRecord => ({
    number: issue.number,
    url: issue.html_url,
    title: issue.title,
    body: issue.body ?? null
  })
  const statusOf = (error: unknown): number | undefined =>
    (error as { status?: number } | null)?.status

  const api: IssueApi = {
    async openIssues(label) {
      const items = await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        state: 'open',
        labels: label,
        per_page: 100
      })
      return items.filter(i => !i.pull_request).map(record)
    },
    async lastClosed(label, match) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        state: 'closed',
        labels: label,
        sort: 'created',
        direction: 'desc',
        per_page: 100
      })
      for await (const page of pages) {
        for (const item of page.data) {
          if (item.pull_request) continue
          const issue = record(item)
          if (match(issue)) return issue
        }
      }
      return null
    },
    async labelExists(name) {
      try {
        await octokit.rest.issues.getLabel({ owner, repo, name })
        return true
      } catch (error) {
        if (statusOf(error) === 404) return false
        throw error
      }
    },
    async createLabel(name, color, description) {
      try {
        await octokit.rest.issues.createLabel({ owner, repo, name, color, description })
      } catch (error) {
        // Someone (or a parallel job) created it in the meantime.
        if (statusOf(error) !== 422) throw error
      }
    },
    async createIssue(issue) {
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: issue.title,
        body: issue.body,
        labels: [...issue.labels],
        ...(issue.assignees.length > 0 ? { assignees: [...issue.assignees] } : {})
      })
      return record(data)
    },
    async updateIssue(number, change) {
      const { data } = await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: number,
        ...(change.body !== undefined ? { body: change.body } : {}),
        ...(change.state ? { state: change.state, state_reason: change.stateReason } : {})
      })
      return record(data)
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
    }
  }
  return { api, stats }
}
