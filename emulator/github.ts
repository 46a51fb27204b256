import type { IncomingHttpHeaders } from 'node:http'
import { takeGithubFault } from './faults.js'
import {
  BODY_LIMIT,
  commentJson,
  DOCS,
  faultReply,
  HttpError,
  invalid,
  issueJson,
  json,
  labelJson,
  labelNamed,
  notFound,
  userJson,
  type GithubReply
} from './github-shapes.js'
import { DAY_MS, type SeedIssue } from './scenario.js'
import type { CommentState, GithubState, IssueState, LabelState } from './state.js'

export type { GithubReply } from './github-shapes.js'

export interface GithubRequest {
  method: string
  /** Below the API root, without the query string: '/repos/acme/infra/issues'. */
  path: string
  query: URLSearchParams
  body: string
  headers: IncomingHttpHeaders
  /** The emulated GITHUB_API_URL, for the urls inside answers and the Link header. */
  apiUrl: string
  requestId: string
}

function nextId(gh: GithubState): number {
  gh.nextId += 1
  return gh.nextId
}

function findLabel(gh: GithubState, name: string): LabelState | undefined {
  const lower = name.toLowerCase()
  return gh.labels.find(l => l.name.toLowerCase() === lower)
}

/** Issues and PATCH calls may name labels that do not exist yet; GitHub creates them. */
function ensureLabel(gh: GithubState, name: string): LabelState {
  const existing = findLabel(gh, name)
  if (existing) return existing
  const id = nextId(gh)
  const label: LabelState = {
    id,
    nodeId: `LA_kwDOEmu${id.toString(36)}`,
    name,
    color: 'ededed',
    description: null
  }
  gh.labels.push(label)
  return label
}

function labelNames(gh: GithubState, value: unknown, resource: string): string[] {
  if (!Array.isArray(value)) throw invalid(resource, 'labels', 'invalid')
  const names = value.map(item => {
    if (typeof item === 'string') return item
    if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
      return (item as { name: string }).name
    }
    throw invalid(resource, 'labels', 'invalid')
  })
  const unique = new Map<string, string>()
  for (const name of names) unique.set(name.toLowerCase(), ensureLabel(gh, name).name)
  return [...unique.values()]
}

function stringArray(value: unknown, resource: string, field: string): string[] {
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string'))
    throw invalid(resource, field, 'invalid')
  return value as string[]
}

function checkBody(value: unknown, resource: string): string | null {
  if (value === null || value === undefined) return null
  if (typeof value !== 'string') throw invalid(resource, 'body', 'invalid')
  if (value.length > BODY_LIMIT) {
    throw invalid(
      resource,
      'body',
      'custom',
      `body is too long (maximum is ${BODY_LIMIT} characters)`
    )
  }
  return value
}

function newComment(gh: GithubState, body: string, at: Date): CommentState {
  const id = nextId(gh)
  return { id, nodeId: `IC_kwDOEmu${id.toString(36)}`, body, createdAt: at, updatedAt: at }
}

function newIssue(gh: GithubState, number: number, title: string, at: Date): IssueState {
  const id = nextId(gh)
  return {
    number,
    id,
    nodeId: `I_kwDOEmu${id.toString(36)}`,
    title,
    body: null,
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    comments: [],
    createdAt: at,
    updatedAt: at,
    closedAt: null
  }
}

function nextIssueNumber(gh: GithubState): number {
  return gh.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1
}

export function seedGithub(gh: GithubState, seeds: readonly SeedIssue[], now: number): void {
  for (const seed of seeds) {
    const at = new Date(now - (seed.createdDaysAgo ?? 7) * DAY_MS)
    const issue = newIssue(gh, seed.number ?? nextIssueNumber(gh), seed.title, at)
    issue.body = seed.body
    issue.labels = labelNames(gh, seed.labels, 'Issue')
    issue.comments = (seed.comments ?? []).map(body => newComment(gh, body, at))
    if (seed.state === 'closed') {
      issue.state = 'closed'
      issue.stateReason = seed.stateReason ?? 'completed'
      issue.closedAt = at
    }
    gh.issues.push(issue)
  }
}

/** GitHub's pagination: a Link header with absolute urls that keep every query parameter. */
function paginate<T>(
  items: readonly T[],
  req: GithubRequest
): { page: T[]; headers: Record<string, string> } {
  const requested = Number(req.query.get('per_page') ?? 30)
  const perPage = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100) : 30
  const requestedPage = Number(req.query.get('page') ?? 1)
  const page = Number.isInteger(requestedPage) && requestedPage > 0 ? requestedPage : 1
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(req.query)
    query.set('per_page', String(perPage))
    query.set('page', String(n))
    return `<${req.apiUrl}${req.path}?${query.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
  return { page: items.slice((page - 1) * perPage, page * perPage), headers }
}

function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {
    // answered below like GitHub does
  }
  throw new HttpError(400, {
    message: 'Problems parsing JSON',
    documentation_url: DOCS,
    status: '400'
  })
}

function issueByNumber(gh: GithubState, raw: string): IssueState {
  const issue = gh.issues.find(i => i.number === Number(raw))
  if (!issue) throw notFound()
  return issue
}

function listIssues(gh: GithubState, req: GithubRequest): GithubReply {
  const state = req.query.get('state') ?? 'open'
  const wanted = (req.query.get('labels') ?? '')
    .split(',')
    .map(l => l.trim().toLowerCase())
    .filter(l => l !== '')
  const assignee = req.query.get('assignee')
  const since = req.query.get('since')
  const sinceMs = since ? Date.parse(since) : NaN
  const sort = req.query.get('sort') ?? 'created'
  const direction = req.query.get('direction') ?? 'desc'
  const matches = gh.issues.filter(issue => {
    if (state !== 'all' && issue.state !== state) return false
    const have = issue.labels.map(l => l.toLowerCase())
    if (!wanted.every(l => have.includes(l))) return false
    if (assignee === 'none' && issue.assignees.length > 0) return false
    if (assignee === '*' && issue.assignees.length === 0) return false
    if (assignee && assignee !== 'none' && assignee !== '*' && !issue.assignees.includes(assignee))
      return false
    if (!Number.isNaN(sinceMs) && issue.updatedAt.getTime() < sinceMs) return false
    return true
  })
  const keyOf = (i: IssueState): number =>
    sort === 'updated'
      ? i.updatedAt.getTime()
      : sort === 'comments'
        ? i.comments.length
        : i.createdAt.getTime()
  const sign = direction === 'asc' ? 1 : -1
  matches.sort((a, b) => sign * (keyOf(a) - keyOf(b) || a.number - b.number))
  const { page, headers } = paginate(matches, req)
  return json(
    200,
    page.map(i => issueJson(gh, i, req.apiUrl)),
    headers
  )
}

function createIssue(gh: GithubState, req: GithubRequest, now: Date): GithubReply {
  const input = parseJson(req.body)
  if (typeof input.title !== 'string' && typeof input.title !== 'number') {
    throw invalid('Issue', 'title', 'missing_field')
  }
  const issue = newIssue(gh, nextIssueNumber(gh), String(input.title), now)
  issue.body = checkBody(input.body, 'Issue')
  if (input.labels !== undefined) issue.labels = labelNames(gh, input.labels, 'Issue')
  if (input.assignees !== undefined)
    issue.assignees = stringArray(input.assignees, 'Issue', 'assignees')
  gh.issues.push(issue)
  return json(201, issueJson(gh, issue, req.apiUrl), {
    location: `${req.apiUrl}/repos/${gh.repo}/issues/${issue.number}`
  })
}

function updateIssue(
  gh: GithubState,
  issue: IssueState,
  req: GithubRequest,
  now: Date
): GithubReply {
  const input = parseJson(req.body)
  const reasons = ['completed', 'not_planned', 'reopened']
  if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed') {
    throw invalid('Issue', 'state', 'invalid')
  }
  if (
    input.state_reason !== undefined &&
    input.state_reason !== null &&
    !reasons.includes(String(input.state_reason))
  ) {
    throw invalid('Issue', 'state_reason', 'invalid')
  }
  if (input.title !== undefined) {
    if (typeof input.title !== 'string' || input.title === '')
      throw invalid('Issue', 'title', 'missing_field')
    issue.title = input.title
  }
  if (input.body !== undefined) issue.body = checkBody(input.body, 'Issue')
  if (input.labels !== undefined) issue.labels = labelNames(gh, input.labels, 'Issue')
  if (input.assignees !== undefined)
    issue.assignees = stringArray(input.assignees, 'Issue', 'assignees')
  const reason = input.state_reason as IssueState['stateReason'] | undefined
  if (input.state === 'closed' && issue.state === 'open') {
    issue.state = 'closed'
    issue.closedAt = now
    issue.stateReason = reason ?? 'completed'
  } else if (input.state === 'open' && issue.state === 'closed') {
    issue.state = 'open'
    issue.closedAt = null
    issue.stateReason = 'reopened'
  } else if (reason !== undefined) {
    issue.stateReason = reason
  }
  issue.updatedAt = now
  return json(200, issueJson(gh, issue, req.apiUrl))
}

function createLabel(gh: GithubState, req: GithubRequest): GithubReply {
  const input = parseJson(req.body)
  if (typeof input.name !== 'string' || input.name === '')
    throw invalid('Label', 'name', 'missing_field')
  if (findLabel(gh, input.name)) throw invalid('Label', 'name', 'already_exists')
  const color = typeof input.color === 'string' ? input.color.replace(/^#/, '') : 'ededed'
  if (!/^[0-9a-fA-F]{6}$/.test(color)) throw invalid('Label', 'color', 'invalid')
  const id = nextId(gh)
  const label: LabelState = {
    id,
    nodeId: `LA_kwDOEmu${id.toString(36)}`,
    name: input.name,
    color: color.toLowerCase(),
    description: typeof input.description === 'string' ? input.description : null
  }
  gh.labels.push(label)
  return json(201, labelJson(gh, label, req.apiUrl))
}

function route(gh: GithubState, req: GithubRequest, now: Date): GithubReply {
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(req.path)
  if (!m || `${m[1]}/${m[2]}`.toLowerCase() !== gh.repo.toLowerCase()) throw notFound()
  const rest = m[3] ?? ''
  const method = req.method
  const api = req.apiUrl
  let p: RegExpExecArray | null

  if (rest === '' && method === 'GET') {
    const [owner = '', name = ''] = gh.repo.split('/')
    return json(200, {
      id: 1,
      name,
      full_name: gh.repo,
      owner: userJson(owner, api),
      private: true,
      html_url: `https://github.com/${gh.repo}`,
      url: `${api}/repos/${gh.repo}`,
      has_issues: true,
      default_branch: 'main'
    })
  }
  if (rest === '/issues') {
    if (method === 'GET') return listIssues(gh, req)
    if (method === 'POST') return createIssue(gh, req, now)
  }
  if ((p = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
    const id = Number(p[1])
    const issue = gh.issues.find(i => i.comments.some(c => c.id === id))
    const comment = issue?.comments.find(c => c.id === id)
    if (!issue || !comment) throw notFound()
    if (method === 'GET') return json(200, commentJson(gh, issue, comment, api))
    if (method === 'PATCH') {
      const body = checkBody(parseJson(req.body).body, 'IssueComment')
      if (body === null) throw invalid('IssueComment', 'body', 'missing_field')
      comment.body = body
      comment.updatedAt = now
      return json(200, commentJson(gh, issue, comment, api))
    }
  }
  if ((p = /^\/issues\/(\d+)$/.exec(rest))) {
    const issue = issueByNumber(gh, p[1] ?? '')
    if (method === 'GET') return json(200, issueJson(gh, issue, api))
    if (method === 'PATCH') return updateIssue(gh, issue, req, now)
  }
  if ((p = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
    const issue = issueByNumber(gh, p[1] ?? '')
    if (method === 'GET') {
      const { page, headers } = paginate(issue.comments, req)
      return json(
        200,
        page.map(c => commentJson(gh, issue, c, api)),
        headers
      )
    }
    if (method === 'POST') {
      const body = checkBody(parseJson(req.body).body, 'IssueComment')
      if (body === null) throw invalid('IssueComment', 'body', 'missing_field')
      const comment = newComment(gh, body, now)
      issue.comments.push(comment)
      issue.updatedAt = now
      return json(201, commentJson(gh, issue, comment, api), {
        location: String(commentJson(gh, issue, comment, api).url)
      })
    }
  }
  if ((p = /^\/issues\/(\d+)\/labels$/.exec(rest))) {
    const issue = issueByNumber(gh, p[1] ?? '')
    const labelsOf = (): GithubReply =>
      json(
        200,
        issue.labels.map(n => labelJson(gh, labelNamed(gh, n), api))
      )
    if (method === 'GET') return labelsOf()
    if (method === 'POST' || method === 'PUT') {
      const input = parseJson(req.body)
      const names = labelNames(gh, input.labels ?? [], 'Label')
      const current = method === 'PUT' ? [] : issue.labels
      const merged = new Map(current.map(n => [n.toLowerCase(), n]))
      for (const n of names) merged.set(n.toLowerCase(), n)
      issue.labels = [...merged.values()]
      issue.updatedAt = now
      return labelsOf()
    }
  }
  if ((p = /^\/issues\/(\d+)\/labels\/([^/]+)$/.exec(rest)) && method === 'DELETE') {
    const issue = issueByNumber(gh, p[1] ?? '')
    const name = decodeURIComponent(p[2] ?? '').toLowerCase()
    if (!issue.labels.some(l => l.toLowerCase() === name)) {
      throw new HttpError(404, {
        message: 'Label does not exist',
        documentation_url: DOCS,
        status: '404'
      })
    }
    issue.labels = issue.labels.filter(l => l.toLowerCase() !== name)
    issue.updatedAt = now
    return json(
      200,
      issue.labels.map(n => labelJson(gh, labelNamed(gh, n), api))
    )
  }
  if (rest === '/labels') {
    if (method === 'GET') {
      const { page, headers } = paginate(gh.labels, req)
      return json(
        200,
        page.map(l => labelJson(gh, l, api)),
        headers
      )
    }
    if (method === 'POST') return createLabel(gh, req)
  }
  if ((p = /^\/labels\/([^/]+)$/.exec(rest)) && method === 'GET') {
    const label = findLabel(gh, decodeURIComponent(p[1] ?? ''))
    if (!label) throw notFound()
    return json(200, labelJson(gh, label, api))
  }
  throw notFound()
}

export function handleGithub(
  gh: GithubState,
  req: GithubRequest,
  now: number = Date.now()
): GithubReply {
  const common = {
    'x-github-request-id': req.requestId,
    'x-github-api-version-selected': '2022-11-28'
  }
  const withCommon = (reply: GithubReply): GithubReply => ({
    ...reply,
    headers: { ...common, ...reply.headers }
  })
  if (!req.headers.authorization) {
    return withCommon(
      json(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' })
    )
  }
  const fault = takeGithubFault(gh.faults, req.method, req.path)
  if (fault) return withCommon(faultReply(fault, req.requestId, now))
  try {
    return withCommon(route(gh, req, new Date(now)))
  } catch (error) {
    if (error instanceof HttpError) return withCommon(json(error.status, error.payload))
    throw error
  }
}
