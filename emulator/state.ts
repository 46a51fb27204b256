import type { CredentialReportState } from './credential-report.js'
import { accessKeyIdFor, userIdFor } from './ids.js'
import {
  DAY_MS,
  DEFAULT_AUDIENCE,
  DEFAULT_REPO,
  defaultUserAgeDays,
  type Fault,
  type GithubFault,
  type Scenario,
  type ScenarioAccount,
  type ScenarioKey,
  type ScenarioUser
} from './scenario.js'

export interface LastUse {
  date: Date
  service: string
  region: string
}

export interface KeyState {
  accessKeyId: string
  status: 'Active' | 'Inactive'
  createDate: Date
  /** null: never used. */
  lastUsed: LastUse | null
}

export interface UserState {
  userName: string
  userId: string
  path: string
  arn: string
  createDate: Date
  keys: KeyState[]
  tags: Record<string, string>
}

export interface AccountState {
  id: string
  alias?: string
  users: UserState[]
  rootAccessKeysPresent: boolean
  throttle?: { rate: number; burst: number }
  /** Live: tests may push faults while the emulator runs. */
  faults: Fault[]
  assumeRoleDenied: boolean
  roles?: string[]
  /** The last generated credential report; tests may edit or drop it. */
  credentialReport?: CredentialReportState
  /** From GenerateCredentialReport to COMPLETE. */
  credentialReportDelayMs: number
  /** Served instead of the real CSV (e.g. a malformed report); live. */
  credentialReportContent?: string
}

/** Temporary credentials the emulator's STS issued. */
export interface SessionState {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  account: string
  roleArn: string
  roleName: string
  sessionName: string
  assumedRoleId: string
  arn: string
  expiration: Date
  via: 'AssumeRoleWithWebIdentity' | 'AssumeRole'
}

export interface LabelState {
  id: number
  nodeId: string
  name: string
  color: string
  description: string | null
}

export interface CommentState {
  id: number
  nodeId: string
  body: string
  createdAt: Date
  updatedAt: Date
}

export interface IssueState {
  number: number
  id: number
  nodeId: string
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: 'completed' | 'not_planned' | 'reopened' | null
  /** Names of repository labels. */
  labels: string[]
  assignees: string[]
  comments: CommentState[]
  createdAt: Date
  updatedAt: Date
  closedAt: Date | null
}

export interface GithubState {
  repo: string
  issues: IssueState[]
  labels: LabelState[]
  /** Live: tests may push faults while the emulator runs. */
  faults: GithubFault[]
  /** Source of GitHub's numeric ids (issues, comments, labels). */
  nextId: number
}

interface UserIndex {
  byName: Map<string, number>
  byKey: Map<string, number>
}

export class EmulatorState {
  readonly startedAt: number
  readonly accounts: AccountState[]
  readonly sessions = new Map<string, SessionState>()
  readonly github: GithubState
  oidcAudience: string
  latencyMs: Scenario['latencyMs']
  private readonly indexes = new WeakMap<AccountState, UserIndex>()

  constructor(scenario: Scenario, now: number = Date.now()) {
    this.startedAt = now
    this.oidcAudience = scenario.oidcAudience ?? DEFAULT_AUDIENCE
    this.latencyMs = scenario.latencyMs
    const seen = new Set<string>()
    this.accounts = scenario.accounts.map(a => {
      if (!/^\d{12}$/.test(a.id)) throw new Error(`scenario: account id '${a.id}' is not 12 digits`)
      if (seen.has(a.id)) throw new Error(`scenario: account ${a.id} appears twice`)
      seen.add(a.id)
      return buildAccount(a, now)
    })
    this.github = {
      repo: scenario.github?.repo ?? DEFAULT_REPO,
      issues: [],
      labels: [],
      faults: [...(scenario.github?.faults ?? [])].map(f => ({ ...f })),
      nextId: 1
    }
  }

  account(id: string): AccountState | undefined {
    return this.accounts.find(a => a.id === id)
  }

  user(accountId: string, userName: string): UserState | undefined {
    const account = this.account(accountId)
    return account && this.findUser(account, userName)
  }

  findUser(account: AccountState, userName: string): UserState | undefined {
    // Indexed because a 5,000-user audit makes one lookup per user. Tests may edit `users`
    // directly, so a hit is re-checked and a miss falls back to a scan that repairs the index.
    const wanted = userName.toLowerCase()
    const pos = this.index(account).byName.get(wanted)
    const hit = pos === undefined ? undefined : account.users[pos]
    if (hit && hit.userName.toLowerCase() === wanted) return hit
    const found = account.users.find(
      u => u.userName.length === userName.length && u.userName.toLowerCase() === wanted
    )
    if (found) this.indexes.delete(account)
    return found
  }

  findKey(
    account: AccountState,
    accessKeyId: string
  ): { user: UserState; key: KeyState } | undefined {
    const pos = this.index(account).byKey.get(accessKeyId)
    const hitUser = pos === undefined ? undefined : account.users[pos]
    const hitKey = hitUser?.keys.find(k => k.accessKeyId === accessKeyId)
    if (hitUser && hitKey) return { user: hitUser, key: hitKey }
    // Ambient credentials miss on every call: a scan is cheap, a rebuild is not.
    const users = account.users
    for (let u = 0; u < users.length; u++) {
      const user = users[u] as UserState
      for (let k = 0; k < user.keys.length; k++) {
        const key = user.keys[k] as KeyState
        if (key.accessKeyId === accessKeyId) {
          this.indexes.delete(account)
          return { user, key }
        }
      }
    }
    return undefined
  }

  findKeyAnywhere(
    accessKeyId: string
  ): { account: AccountState; user: UserState; key: KeyState } | undefined {
    for (const account of this.accounts) {
      const found = this.findKey(account, accessKeyId)
      if (found) return { account, ...found }
    }
    return undefined
  }

  addUser(accountId: string, spec: ScenarioUser, now: number = Date.now()): UserState {
    const account = this.requireAccount(accountId)
    if (this.findUser(account, spec.name)) {
      throw new Error(`user ${spec.name} already exists in account ${accountId}`)
    }
    const user = buildUser(account.id, spec, now)
    account.users.push(user)
    return user
  }

  addKey(
    accountId: string,
    userName: string,
    spec: ScenarioKey,
    now: number = Date.now()
  ): KeyState {
    const account = this.requireAccount(accountId)
    const user = this.findUser(account, userName)
    if (!user) throw new Error(`no user ${userName} in account ${accountId}`)
    // Derived ids depend on the slot, so skip slots whose id a remaining key still holds.
    let slot = user.keys.length
    while (user.keys.some(k => k.accessKeyId === accessKeyIdFor(account.id, user.userName, slot)))
      slot++
    const key = buildKey(account.id, user.userName, slot, spec, now)
    user.keys.push(key)
    return key
  }

  markKeyUsed(accessKeyId: string, use: Partial<LastUse> = {}): KeyState {
    const found = this.findKeyAnywhere(accessKeyId)
    if (!found) throw new Error(`no access key ${accessKeyId}`)
    found.key.lastUsed = {
      date: use.date ?? new Date(),
      service: use.service ?? 's3',
      region: use.region ?? 'us-east-1'
    }
    return found.key
  }

  private requireAccount(accountId: string): AccountState {
    const account = this.account(accountId)
    if (!account) throw new Error(`no account ${accountId}`)
    return account
  }

  private index(account: AccountState): UserIndex {
    let index = this.indexes.get(account)
    if (!index) {
      index = { byName: new Map(), byKey: new Map() }
      account.users.forEach((user, pos) => {
        index?.byName.set(user.userName.toLowerCase(), pos)
        for (const key of user.keys) index?.byKey.set(key.accessKeyId, pos)
      })
      this.indexes.set(account, index)
    }
    return index
  }
}

function buildAccount(spec: ScenarioAccount, now: number): AccountState {
  const names = new Set<string>()
  const users = spec.users.map(u => {
    const lower = u.name.toLowerCase()
    if (names.has(lower))
      throw new Error(`scenario: user ${u.name} appears twice in account ${spec.id}`)
    names.add(lower)
    return buildUser(spec.id, u, now)
  })
  const account: AccountState = {
    id: spec.id,
    users,
    rootAccessKeysPresent: spec.rootAccessKeysPresent ?? false,
    faults: (spec.faults ?? []).map(f => ({ ...f })),
    assumeRoleDenied: spec.assumeRoleDenied ?? false,
    credentialReportDelayMs: spec.credentialReport?.generationDelayMs ?? 0
  }
  if (spec.credentialReport?.content !== undefined)
    account.credentialReportContent = spec.credentialReport.content
  if (spec.alias !== undefined) account.alias = spec.alias
  if (spec.throttle !== undefined) account.throttle = { ...spec.throttle }
  if (spec.roles !== undefined) account.roles = [...spec.roles]
  return account
}

function buildUser(accountId: string, spec: ScenarioUser, now: number): UserState {
  if (!/^[\w+=,.@-]{1,64}$/.test(spec.name)) {
    throw new Error(
      `scenario: '${spec.name}' is not a valid IAM user name (1-64 of A-Z a-z 0-9 + = , . @ _ -)`
    )
  }
  const path = spec.path ?? '/'
  if (!path.startsWith('/') || !path.endsWith('/')) {
    throw new Error(`scenario: path '${path}' of user ${spec.name} must start and end with '/'`)
  }
  const keySpecs = spec.keys ?? []
  if (keySpecs.length > 2) {
    throw new Error(`scenario: user ${spec.name} has ${keySpecs.length} keys; IAM allows at most 2`)
  }
  return {
    userName: spec.name,
    userId: userIdFor(accountId, spec.name),
    path,
    arn: `arn:aws:iam::${accountId}:user${path}${spec.name}`,
    createDate: new Date(now - defaultUserAgeDays(spec) * DAY_MS),
    keys: keySpecs.map((k, i) => buildKey(accountId, spec.name, i, k, now)),
    tags: { ...(spec.tags ?? {}) }
  }
}

function buildKey(
  accountId: string,
  userName: string,
  index: number,
  spec: ScenarioKey,
  now: number
): KeyState {
  const used = spec.lastUsedDaysAgo
  return {
    accessKeyId: spec.id ?? accessKeyIdFor(accountId, userName, index),
    status: spec.status ?? 'Active',
    createDate: new Date(now - spec.ageDays * DAY_MS),
    lastUsed:
      used === null || used === undefined
        ? null
        : {
            date: new Date(now - used * DAY_MS),
            service: spec.service ?? 's3',
            region: spec.region ?? 'us-east-1'
          }
  }
}
