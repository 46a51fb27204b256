import { STATUS_CODES } from 'node:http'
import { isoSeconds } from './ids.js'
import type { GithubFault } from './scenario.js'
import type { CommentState, GithubState, IssueState, LabelState } from './state.js'

/** GitHub's wire shapes: the JSON of issues, comments, labels and errors, as the REST API writes them. */

export interface GithubReply {
  status: number
  headers: Record<string, string>
  body: string
}

export const DOCS = 'https://docs.github.com/rest'
export const BODY_LIMIT = 65536
/** The identity a workflow's GITHUB_TOKEN acts as. */
const ACTOR = {
  login: 'github-actions[bot]',
  id: 41898282,
  node_id: 'MDM6Qm90NDE4OTgyODI=',
  type: 'Bot',
  site_admin: false
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: Record<string, unknown>
  ) {
    super(String(payload.message))
  }
}

export function notFound(): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })
}

export function invalid(
  resource: string,
  field: string,
  code: string,
  message?: string
): HttpError {
  const error: Record<string, string> = { resource, code, field }
  if (message !== undefined) error.message = message
  return new HttpError(422, {
    message: 'Validation Failed',
    errors: [error],
    documentation_url: DOCS,
    status: '422'
  })
}

export function json(
  status: number,
  payload: unknown,
  headers: Record<string, string> = {}
): GithubReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(payload)
  }
}

export function userJson(login: string, apiUrl: string): Record<string, unknown> {
  const base =
    login === ACTOR.login
      ? ACTOR
      : {
          login,
          id: 1000 + login.length,
          node_id: `U_emu${login}`,
          type: 'User',
          site_admin: false
        }
  return {
    ...base,
    avatar_url: `https://avatars.githubusercontent.com/u/${base.id}?v=4`,
    url: `${apiUrl}/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${login}`
  }
}

/** The repository label an issue names; tests may put names on issues that no label has. */
export function labelNamed(gh: GithubState, name: string): LabelState {
  const lower = name.toLowerCase()
  return (
    gh.labels.find(l => l.name.toLowerCase() === lower) ?? {
      id: 0,
      nodeId: '',
      name,
      color: 'ededed',
      description: null
    }
  )
}

export function labelJson(
  gh: GithubState,
  label: LabelState,
  apiUrl: string
): Record<string, unknown> {
  return {
    id: label.id,
    node_id: label.nodeId,
    url: `${apiUrl}/repos/${gh.repo}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description
  }
}

export function issueJson(
  gh: GithubState,
  issue: IssueState,
  apiUrl: string
): Record<string, unknown> {
  const url = `${apiUrl}/repos/${gh.repo}/issues/${issue.number}`
  const assignees = issue.assignees.map(a => userJson(a, apiUrl))
  return {
    url,
    repository_url: `${apiUrl}/repos/${gh.repo}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `https://github.com/${gh.repo}/issues/${issue.number}`,
    id: issue.id,
    node_id: issue.nodeId,
    number: issue.number,
    title: issue.title,
    user: userJson(ACTOR.login, apiUrl),
    labels: issue.labels.map(name => labelJson(gh, labelNamed(gh, name), apiUrl)),
    state: issue.state,
    locked: false,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments: issue.comments.length,
    created_at: isoSeconds(issue.createdAt),
    updated_at: isoSeconds(issue.updatedAt),
    closed_at: issue.closedAt ? isoSeconds(issue.closedAt) : null,
    author_association: 'NONE',
    active_lock_reason: null,
    body: issue.body,
    closed_by: issue.state === 'closed' ? userJson(ACTOR.login, apiUrl) : null,
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.stateReason
  }
}

export function commentJson(
  gh: GithubState,
  issue: IssueState,
  comment: CommentState,
  apiUrl: string
): Record<string, unknown> {
  return {
    url: `${apiUrl}/repos/${gh.repo}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${gh.repo}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: `${apiUrl}/repos/${gh.repo}/issues/${issue.number}`,
    id: comment.id,
    node_id: comment.nodeId,
    user: userJson(ACTOR.login, apiUrl),
    created_at: isoSeconds(comment.createdAt),
    updated_at: isoSeconds(comment.updatedAt),
    author_association: 'NONE',
    body: comment.body,
    performed_via_github_app: null
  }
}

export function faultReply(fault: GithubFault, requestId: string, now: number): GithubReply {
  const status = fault.status
  const wait = fault.retryAfterSeconds ?? 1
  if (fault.rateLimit === 'primary') {
    return json(
      status,
      {
        message: fault.message ?? 'API rate limit exceeded for installation ID 1.',
        documentation_url:
          'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        status: String(status)
      },
      {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(Math.ceil(now / 1000) + wait),
        'x-ratelimit-resource': 'core'
      }
    )
  }
  if (fault.rateLimit === 'secondary') {
    return json(
      status,
      {
        message:
          fault.message ??
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        documentation_url:
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(status)
      },
      { 'retry-after': String(wait) }
    )
  }
  if (status >= 500) {
    // GitHub's front ends answer outages without JSON.
    const reason = STATUS_CODES[status] ?? 'Server Error'
    return {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: fault.message ?? `${status} ${reason}`
    }
  }
  const defaults: Record<number, string> = {
    401: 'Bad credentials',
    403: 'Resource not accessible by integration',
    404: 'Not Found',
    422: 'Validation Failed'
  }
  return json(status, {
    message: fault.message ?? defaults[status] ?? STATUS_CODES[status] ?? 'Error',
    documentation_url: DOCS,
    status: String(status)
  })
}
