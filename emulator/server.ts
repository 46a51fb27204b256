import { randomUUID } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { handleGithub, seedGithub } from './github.js'
import { accessKeyIdOf } from './identity.js'
import { OidcIssuer } from './oidc.js'
import { handleOrganizations, ORGANIZATIONS_TARGET } from './organizations.js'
import { serveQuery, type QueryDeps } from './query.js'
import type { Scenario } from './scenario.js'
import { EmulatorState } from './state.js'
import { Throttler } from './throttle.js'

export { EmulatorState } from './state.js'
export type {
  AccountState,
  CommentState,
  GithubState,
  IssueState,
  KeyState,
  LabelState,
  LastUse,
  SessionState,
  UserState
} from './state.js'

export interface RecordedRequest {
  /** Order of arrival. */
  seq: number
  /** Arrival, ms since the epoch. */
  time: number
  service: 'iam' | 'sts' | 'organizations' | 'oidc' | 'github' | 'control'
  /** IAM/STS Action, or 'METHOD /path' for the others. */
  action: string
  /** Form parameters or query; for GitHub also the JSON body, as text, under `body`. */
  params: Record<string, string>
  account?: string
  status: number
  errorCode?: string
  throttled?: boolean
}

export interface Emulator {
  url: string
  iamEndpoint: string
  stsEndpoint: string
  organizationsEndpoint: string
  /** Includes '?api-version=2.0', as the runner's ACTIONS_ID_TOKEN_REQUEST_URL does. */
  oidcRequestUrl: string
  oidcRequestToken: string
  githubApiUrl: string
  /** Every request so far, in order of arrival; live. */
  requests: RecordedRequest[]
  clearRequests(): void
  /** Live and mutable: what the emulated services read and write. */
  state: EmulatorState
  /** The variables that point a process at this emulator. */
  env(): Record<string, string>
  close(): Promise<void>
}

export interface StartOptions {
  /** 0 or absent: a free port. */
  port?: number
  host?: string
}

const MAX_BODY = 16 * 1024 * 1024

interface Reply {
  status: number
  headers: Record<string, string>
  body: string
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(new Error('request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function jsonReply(status: number, payload: unknown): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(payload)
  }
}

function formParams(query: URLSearchParams, body: string): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [k, v] of query) if (!k.startsWith('X-Amz-')) params[k] = v
  for (const [k, v] of new URLSearchParams(body)) params[k] = v
  return params
}

/** For endpoints given without a path: the SigV4 credential scope names the service. */
function scopeService(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/)?.[1]
}

function under(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`)
}

export async function startEmulator(
  scenario: Scenario,
  opts: StartOptions = {}
): Promise<Emulator> {
  const state = new EmulatorState(scenario)
  seedGithub(state.github, scenario.github?.issues ?? [], state.startedAt)
  const oidc = new OidcIssuer(state.github.repo)
  const deps: QueryDeps = { state, oidc, throttler: new Throttler() }
  const requests: RecordedRequest[] = []
  let seq = 0
  let url = ''

  const record = (entry: RecordedRequest): void => {
    // Replies can finish out of arrival order (latency); keep the log sorted by seq.
    let i = requests.length
    while (i > 0 && (requests[i - 1]?.seq ?? 0) > entry.seq) i--
    requests.splice(i, 0, entry)
  }

  async function dispatch(req: IncomingMessage, entry: RecordedRequest): Promise<Reply> {
    const method = req.method ?? 'GET'
    const parsed = new URL(req.url ?? '/', 'http://emulator.invalid')
    const { pathname, searchParams } = parsed
    const body = await readBody(req)
    const auth = req.headers.authorization

    const amzTarget = req.headers['x-amz-target']
    if (typeof amzTarget === 'string' && amzTarget.startsWith(ORGANIZATIONS_TARGET)) {
      entry.service = 'organizations'
      if (body !== '') entry.params = { body }
      const reply = handleOrganizations(
        state,
        scenario,
        amzTarget,
        body,
        accessKeyIdOf(auth, searchParams)
      )
      entry.action = reply.action
      if (reply.errorCode !== undefined) entry.errorCode = reply.errorCode
      return {
        status: reply.status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-RequestId': randomUUID(),
          ...(reply.errorCode ? { 'x-amzn-ErrorType': reply.errorCode } : {})
        },
        body: reply.body
      }
    }

    let queryService: 'iam' | 'sts' | undefined
    if (under(pathname, '/iam')) queryService = 'iam'
    else if (under(pathname, '/sts')) queryService = 'sts'
    else if (pathname === '/' && method === 'POST') {
      const scoped = scopeService(auth)
      if (scoped === 'iam' || scoped === 'sts') queryService = scoped
      else if (new URLSearchParams(body).get('Action') === 'AssumeRoleWithWebIdentity')
        queryService = 'sts'
    }
    if (queryService) {
      const params = formParams(searchParams, body)
      entry.service = queryService
      entry.params = params
      const outcome = await serveQuery(
        queryService,
        deps,
        params,
        accessKeyIdOf(auth, searchParams)
      )
      entry.action = outcome.action
      if (outcome.account !== undefined) entry.account = outcome.account
      if (outcome.errorCode !== undefined) entry.errorCode = outcome.errorCode
      if (outcome.throttled) entry.throttled = true
      return {
        status: outcome.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': outcome.requestId },
        body: outcome.body
      }
    }

    entry.action = `${method} ${pathname}`
    entry.params = Object.fromEntries(searchParams)

    if (pathname === '/oidc/token') {
      entry.service = 'oidc'
      if (method !== 'GET') return jsonReply(405, { message: 'Method Not Allowed' })
      if (auth !== `Bearer ${oidc.requestToken}`) {
        return jsonReply(401, {
          message: 'Unauthorized: the bearer token is not valid for this run'
        })
      }
      return jsonReply(200, {
        count: 1,
        value: oidc.issue(searchParams.get('audience') ?? undefined)
      })
    }

    if (under(pathname, '/github')) {
      entry.service = 'github'
      const path = pathname.slice('/github'.length) || '/'
      entry.action = `${method} ${path}`
      if (body !== '') entry.params.body = body
      return handleGithub(state.github, {
        method,
        path,
        query: searchParams,
        body,
        headers: req.headers,
        apiUrl: `${url}/github`,
        requestId: randomUUID()
      })
    }

    if (pathname === '/_emulator/requests') {
      entry.service = 'control'
      if (method === 'DELETE') {
        requests.length = 0
        return { status: 204, headers: {}, body: '' }
      }
      const service = searchParams.get('service')
      return jsonReply(200, service ? requests.filter(r => r.service === service) : requests)
    }

    entry.service = 'control'
    return jsonReply(404, { message: `The emulator serves no ${method} ${pathname}` })
  }

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry: RecordedRequest = {
      seq: ++seq,
      time: Date.now(),
      service: 'control',
      action: `${req.method ?? 'GET'} ${req.url ?? '/'}`,
      params: {},
      status: 0
    }
    dispatch(req, entry)
      .catch((error: unknown) => jsonReply(500, { message: `emulator error: ${String(error)}` }))
      .then(reply => {
        entry.status = reply.status
        record(entry)
        if (res.destroyed) return
        res.writeHead(reply.status, {
          ...reply.headers,
          'content-length': Buffer.byteLength(reply.body)
        })
        res.end(reply.body)
      })
      .catch(() => res.destroy())
  })

  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  url = `http://${urlHost}:${port}`

  const emulator: Emulator = {
    url,
    iamEndpoint: `${url}/iam`,
    stsEndpoint: `${url}/sts`,
    organizationsEndpoint: `${url}/organizations`,
    oidcRequestUrl: `${url}/oidc/token?api-version=2.0`,
    oidcRequestToken: oidc.requestToken,
    githubApiUrl: `${url}/github`,
    requests,
    clearRequests: () => {
      requests.length = 0
    },
    state,
    env: () => ({
      AWS_ENDPOINT_URL_IAM: emulator.iamEndpoint,
      AWS_ENDPOINT_URL_STS: emulator.stsEndpoint,
      AWS_ENDPOINT_URL_ORGANIZATIONS: emulator.organizationsEndpoint,
      ACTIONS_ID_TOKEN_REQUEST_URL: emulator.oidcRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.oidcRequestToken,
      GITHUB_API_URL: emulator.githubApiUrl,
      GITHUB_REPOSITORY: state.github.repo
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()))
        // Clients keep sockets alive; without this close() waits for their idle timeout.
        server.closeAllConnections()
      })
  }
  return emulator
}
