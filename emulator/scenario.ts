/**
 * Scenario: the seed an emulator starts from. Ages are in days relative to the moment the
 * emulator starts, so a scenario file stays meaningful whenever it is run.
 */

export interface ScenarioKey {
  id?: string
  status?: 'Active' | 'Inactive'
  ageDays: number
  /** null or absent: never used. */
  lastUsedDaysAgo?: number | null
  /** Default 's3'. */
  service?: string
  /** Default 'us-east-1'. */
  region?: string
}

export interface ScenarioUser {
  name: string
  /** Default '/'. */
  path?: string
  /** Default: the oldest key's age + 1, or 400 for a user without keys. */
  createdDaysAgo?: number
  keys?: ScenarioKey[]
  tags?: Record<string, string>
}

export interface Fault {
  /** IAM or STS action, e.g. 'ListAccessKeys'. */
  action: string
  /** Matches the UserName parameter, or the key's owner for GetAccessKeyLastUsed. */
  user?: string
  accessKeyId?: string
  /** 'AccessDenied' | 'NoSuchEntity' | 'Throttling' | 'ServiceFailure' | any other code. */
  code: string
  /** Default by code: AccessDenied 403, NoSuchEntity 404, Throttling 400, ServiceFailure 500, else 400. */
  status?: number
  message?: string
  /** How many matching requests fail; absent: all of them. Counts down in the live state. */
  times?: number
}

export interface ScenarioAccount {
  /** 12 digits. */
  id: string
  alias?: string
  users: ScenarioUser[]
  rootAccessKeysPresent?: boolean
  /** Token bucket over this account's IAM calls. */
  throttle?: { rate: number; burst: number }
  faults?: Fault[]
  /** STS AssumeRole / AssumeRoleWithWebIdentity into this account answers AccessDenied. */
  assumeRoleDenied?: boolean
  /** When set, only these role names can be assumed; absent: any role name. */
  roles?: string[]
  credentialReport?: {
    /** From GenerateCredentialReport to COMPLETE, in ms. Default 0 (COMPLETE on the next call). */
    generationDelayMs?: number
    /** The CSV to serve instead of the account's real report, e.g. a malformed one. */
    content?: string
  }
}

export interface SeedIssue {
  number?: number
  title: string
  body: string
  labels: string[]
  state: 'open' | 'closed'
  stateReason?: 'completed' | 'not_planned' | 'reopened' | null
  comments?: string[]
  createdDaysAgo?: number
}

export interface GithubFault {
  /** HTTP method, or '*' for any. */
  method: string
  /** Matched against the path below the API root (e.g. '/repos/acme/infra/issues'), as a substring or as a regular expression. */
  pathPattern: string
  status: number
  /** How many matching requests fail; absent: all of them. */
  times?: number
  message?: string
  /** Answer like GitHub's rate limiter, with the headers Octokit's throttling plugin reads. */
  rateLimit?: 'primary' | 'secondary'
  /** For rate limits: seconds until the limit resets (default 1). */
  retryAfterSeconds?: number
}

/** Organizations: every scenario account is a member, under the root unless placed in an OU. */
export interface ScenarioOrganization {
  /** Default: the first account. */
  managementAccountId?: string
  /** Default 'r-a1b2'. */
  rootId?: string
  ous?: Array<{ id: string; name?: string; parentId?: string }>
  /** Account id → the OU it sits in. */
  placement?: Record<string, string>
  /** Members that are not ACTIVE. */
  suspended?: string[]
  /** Callers from these accounts get AccessDeniedException. */
  deniedAccounts?: string[]
}

export interface Scenario {
  accounts: ScenarioAccount[]
  organization?: ScenarioOrganization
  /** Added to every IAM call; jittered uniformly when a range. */
  latencyMs?: number | { min: number; max: number }
  /** Default 'sts.amazonaws.com'. */
  oidcAudience?: string
  github?: {
    /** 'owner/name', default 'acme/infra'. */
    repo?: string
    issues?: SeedIssue[]
    faults?: GithubFault[]
  }
}

export const DAY_MS = 86_400_000
export const DEFAULT_REPO = 'acme/infra'
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com'

export function defaultUserAgeDays(user: ScenarioUser): number {
  if (user.createdDaysAgo !== undefined) return user.createdDaysAgo
  const keys = user.keys ?? []
  if (keys.length === 0) return 400
  return Math.max(...keys.map(k => k.ageDays)) + 1
}

/** mulberry32: tiny, fast and good enough to spread a synthetic account's keys. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface GenerateAccountOptions {
  id: string
  users: number
  seed?: number
  alias?: string
  /** Share of users with no access key. Default 0.1. */
  noKeyShare?: number
  /** Share of users with keys who have two. Default 0.2. */
  twoKeyShare?: number
  /** Share of keys that are Inactive. Default 0.05. */
  inactiveShare?: number
  /** Share of Active keys that break the policy (too old, idle too long, or old and never used). Default 0.05. */
  violationShare?: number
  /** Share of compliant Active keys that were never used (fresh, inside the idle grace period). Default 0.05. */
  neverUsedShare?: number
  /** The policy the mix is built around; generated keys keep a margin of days from both limits. */
  maxAgeDays?: number
  maxIdleDays?: number
  throttle?: { rate: number; burst: number }
}

const NAME_STEMS = ['svc', 'ci', 'app', 'etl', 'dev', 'ops', 'batch', 'deploy', 'report', 'sync']
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']
const SERVICES = ['s3', 'sts', 'dynamodb', 'sqs', 'ec2', 'lambda', 'iam']
const TEAMS = ['platform', 'data', 'payments', 'web']

/** A large, deterministic account for tests and benchmarks: same options → same account. */
export function generateAccount(opts: GenerateAccountOptions): ScenarioAccount {
  const rnd = seededRandom(opts.seed ?? 1)
  const maxAge = opts.maxAgeDays ?? 90
  const maxIdle = opts.maxIdleDays ?? 45
  const noKeyShare = opts.noKeyShare ?? 0.1
  const twoKeyShare = opts.twoKeyShare ?? 0.2
  const inactiveShare = opts.inactiveShare ?? 0.05
  const violationShare = opts.violationShare ?? 0.05
  const neverUsedShare = opts.neverUsedShare ?? 0.05
  const between = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T
  const width = String(opts.users).length

  const makeKey = (): ScenarioKey => {
    const usedIn = { service: pick(SERVICES), region: pick(REGIONS) }
    if (rnd() < inactiveShare) {
      return { status: 'Inactive', ageDays: between(30, 900), lastUsedDaysAgo: null }
    }
    if (rnd() < violationShare) {
      const kind = rnd()
      if (kind < 0.4) {
        const ageDays = between(maxAge + 5, maxAge + 900)
        return { status: 'Active', ageDays, lastUsedDaysAgo: between(0, 10), ...usedIn }
      }
      if (kind < 0.8) {
        const ageDays = between(maxIdle + 10, Math.max(maxIdle + 10, maxAge - 5))
        return {
          status: 'Active',
          ageDays,
          lastUsedDaysAgo: between(maxIdle + 5, ageDays),
          ...usedIn
        }
      }
      return {
        status: 'Active',
        ageDays: between(maxIdle + 5, maxAge + 300),
        lastUsedDaysAgo: null
      }
    }
    const ageDays = between(0, Math.max(0, maxAge - 5))
    if (rnd() < neverUsedShare) {
      return {
        status: 'Active',
        ageDays: Math.min(ageDays, Math.max(0, maxIdle - 5)),
        lastUsedDaysAgo: null
      }
    }
    const lastUsed = between(0, Math.min(ageDays, Math.max(0, maxIdle - 5)))
    return { status: 'Active', ageDays, lastUsedDaysAgo: lastUsed, ...usedIn }
  }

  const users: ScenarioUser[] = []
  for (let i = 0; i < opts.users; i++) {
    const stem = pick(NAME_STEMS)
    const name = `${stem}-${String(i + 1).padStart(width, '0')}`
    const roll = rnd()
    const path = roll < 0.7 ? '/' : roll < 0.9 ? '/service/' : `/team/${pick(TEAMS)}/`
    const keyCount = rnd() < noKeyShare ? 0 : rnd() < twoKeyShare ? 2 : 1
    const keys = Array.from({ length: keyCount }, makeKey)
    const user: ScenarioUser = { name, path, keys }
    if (rnd() < 0.3) user.tags = { team: pick(TEAMS) }
    users.push(user)
  }
  const account: ScenarioAccount = { id: opts.id, users }
  if (opts.alias !== undefined) account.alias = opts.alias
  if (opts.throttle !== undefined) account.throttle = opts.throttle
  return account
}
