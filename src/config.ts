import { UserFacingError } from './errors.js'
import { parseExemptions, type Exemption } from './exemptions.js'
import { PATH_GLOB, splitList, USER_GLOB, type Scope } from './scope.js'

/** Everything one run needs to know, parsed and checked before any network call. */
export interface Config {
  readonly roleToAssume: string | null
  readonly awsRegion: string
  readonly audience: string
  readonly roleSessionName: string
  readonly policy: Policy
  readonly failOnViolation: boolean
  readonly failOnError: boolean
  readonly reportPath: string | null
  readonly revealKeyIds: boolean
  readonly exemptions: readonly Exemption[]
  readonly userTags: boolean
  readonly allowTagRelaxation: boolean
  readonly scope: Scope
  readonly deactivate: DeactivateMode
  /** Open, update and close one tracking issue per account. */
  readonly createIssue: boolean
  /** Secret: never log it. Null when empty (outside a runner there is no token). */
  readonly githubToken: string | null
  /** The title template, with `{account}` and `{alias}` still in it. */
  readonly issueTitle: string
  /** At least one; the first one is how the issue is found again. */
  readonly issueLabels: readonly string[]
  readonly issueAssignees: readonly string[]
  /** Every step runs, but writes are only logged as "would …". */
  readonly dryRun: boolean
  /** Where keys' last use comes from: every key live, or the credential report first. */
  readonly lastUsedSource: 'api' | 'credential-report'
  /** How long to wait for the credential report to be generated before falling back. */
  readonly credentialReportWaitSeconds: number
  /** IAM calls in flight at most, per account. */
  readonly maxConcurrency: number
  /** Account ids to audit by assuming `accountRoleName` in each; empty: the credentials' own account. */
  readonly accounts: readonly string[]
  readonly accountRoleName: string
  /** List the organization's active accounts (Organizations ListAccounts). */
  readonly organization: boolean
  /** With `organization`: only accounts under these OUs (or roots), nested OUs included. */
  readonly organizationOus: readonly string[]
}

/** Which keys that break policy `deactivate` sets to Inactive; `idle-and-age`: either reason. */
export type DeactivateMode = 'off' | 'idle' | 'age' | 'idle-and-age'
export const DEACTIVATE_MODES: readonly DeactivateMode[] = ['idle', 'age', 'idle-and-age', 'off']
export type MultipleActiveKeys = 'warn' | 'fail' | 'off'
const MULTIPLE_ACTIVE_KEYS: readonly MultipleActiveKeys[] = ['warn', 'fail', 'off']

/** The thresholds the judge applies. */
export interface Policy {
  readonly maxAgeDays: number
  readonly maxIdleDays: number
  readonly warnAgeDays: number | null
  readonly warnIdleDays: number | null
  /** A user with more than one Active key (CIS 1.13): a warning, a violation, or not checked. */
  readonly multipleActiveKeys: MultipleActiveKeys
  /** An Inactive key older than this is a warning ("delete it"); null: not checked. */
  readonly maxInactiveDays: number | null
}

/**
 * The defaults of `action.yml`, mirrored here because `node dist/index.js` run outside the
 * runner gets no defaults; a test fails when the two drift.
 */
export const INPUT_DEFAULTS = {
  'role-to-assume': '',
  'aws-region': 'us-east-1',
  audience: 'sts.amazonaws.com',
  'role-session-name': 'iam-access-key-gate',
  'max-age-days': '90',
  'max-idle-days': '45',
  'warn-age-days': '',
  'warn-idle-days': '',
  'fail-on-violation': 'true',
  'fail-on-error': 'true',
  'report-path': '',
  'reveal-key-ids': 'false',
  exemptions: '',
  'user-tags': 'false',
  'allow-tag-relaxation': 'false',
  'include-paths': '',
  'exclude-users': '',
  'multiple-active-keys': 'warn',
  'max-inactive-days': '',
  deactivate: 'off',
  'create-issue': 'false',
  // action.yml defaults this to `${{ github.token }}`; outside a runner there is no token.
  'github-token': '',
  'issue-title': 'IAM access keys out of policy in account {account}',
  'issue-labels': 'iam-access-keys,security',
  'issue-assignees': '',
  'dry-run': 'false',
  'last-used-source': 'api',
  'credential-report-wait-seconds': '120',
  'max-concurrency': '64',
  accounts: '',
  'account-role-name': 'IamAccessKeyGate',
  organization: 'false',
  'organization-ous': ''
} as const

export type InputName = keyof typeof INPUT_DEFAULTS
export type GetInput = (name: InputName) => string

/** Thrown for bad input; its message lists every bad input, one per line. */
export class InputError extends UserFacingError {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} inputs are invalid:\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])
// Every partition IAM roles live in; an ARN from any of them is accepted as written.
const ROLE_ARN =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/
// Two letters for most partitions; `eusc-de-east-1` (aws-eusc) has four.
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
const DAYS_MAX = 3650
// GitHub logins: letters, digits and single inner hyphens, at most 39 characters.
const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/
const LABEL_MAX = 50
const ASSIGNEES_MAX = 10
const TITLE_PLACEHOLDERS = new Set(['{account}', '{alias}'])
// Beyond 15 minutes a nightly job is better off asking every key live than waiting.
const WAIT_MAX = 900
// Beyond this many sockets per account the client spends more on connections than it gains.
const MAX_CONCURRENCY = 256
const ACCOUNT_ID = /^\d{12}$/
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
const OU_ID = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/

/** Quotes a value for an error message, so an empty or blank value is still visible. */
function quote(value: string): string {
  return `'${value}'`
}

/**
 * Reads every input, applies the defaults, and checks each one. All problems are reported
 * together, so a user fixes their workflow in one round. `now` is the run's clock: an
 * exemption may run at most a year past it.
 */
export function parseConfig(getInput: GetInput, now: Date = new Date()): Config {
  const problems: string[] = []
  const raw = (name: InputName): string => {
    const value = getInput(name).trim()
    return value === '' ? INPUT_DEFAULTS[name] : value
  }

  const days = (name: InputName, optional: boolean): number | null => {
    const value = raw(name)
    if (value === '' && optional) return null
    if (/^\d+$/.test(value)) {
      const n = Number(value)
      if (n >= 1 && n <= DAYS_MAX) return n
    }
    problems.push(
      `${name} must be a whole number of days from 1 to ${DAYS_MAX}${optional ? ', or empty' : ''}, got ${quote(value)}`
    )
    return null
  }

  const wholeNumber = (name: InputName, min: number, max: number): number | null => {
    const value = raw(name)
    if (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value)
    problems.push(`${name} must be a whole number from ${min} to ${max}, got ${quote(value)}`)
    return null
  }

  // One per line or comma separated, blanks ignored: YAML block scalars and one-liners both work.
  const listOf = (name: InputName): string[] =>
    raw(name)
      .split(/[\n,]/)
      .map(item => item.trim())
      .filter(item => item !== '')

  const bool = (name: InputName): boolean => {
    const value = raw(name)
    if (TRUE.has(value)) return true
    if (FALSE.has(value)) return false
    problems.push(
      `${name} must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got ${quote(value)}`
    )
    return INPUT_DEFAULTS[name] === 'true'
  }

  const role = raw('role-to-assume')
  if (role !== '' && !ROLE_ARN.test(role)) {
    problems.push(
      `role-to-assume must be an IAM role ARN such as arn:aws:iam::123456789012:role/iam-access-key-gate (partition aws, aws-cn or aws-us-gov), got ${quote(role)}`
    )
  }
  const region = raw('aws-region')
  if (!REGION.test(region)) {
    problems.push(
      `aws-region must be an AWS region code such as us-east-1, cn-north-1 or us-gov-west-1, got ${quote(region)}`
    )
  }
  const audience = raw('audience')
  if (/\s/.test(audience))
    problems.push(`audience must not contain white space, got ${quote(audience)}`)
  const sessionName = raw('role-session-name')
  if (!SESSION_NAME.test(sessionName)) {
    problems.push(
      `role-session-name must be 2 to 64 characters of letters, digits and + = , . @ _ -, got ${quote(sessionName)}`
    )
  }

  const maxAgeDays = days('max-age-days', false)
  const maxIdleDays = days('max-idle-days', false)
  const warnAgeDays = days('warn-age-days', true)
  const warnIdleDays = days('warn-idle-days', true)
  if (warnAgeDays !== null && maxAgeDays !== null && warnAgeDays >= maxAgeDays) {
    problems.push(
      `warn-age-days must be less than max-age-days (${maxAgeDays}), got ${quote(String(warnAgeDays))}`
    )
  }
  if (warnIdleDays !== null && maxIdleDays !== null && warnIdleDays >= maxIdleDays) {
    problems.push(
      `warn-idle-days must be less than max-idle-days (${maxIdleDays}), got ${quote(String(warnIdleDays))}`
    )
  }

  const failOnViolation = bool('fail-on-violation')
  const failOnError = bool('fail-on-error')
  const revealKeyIds = bool('reveal-key-ids')
  const reportPath = raw('report-path')
  const lastUsedSource = raw('last-used-source')
  if (lastUsedSource !== 'api' && lastUsedSource !== 'credential-report') {
    problems.push(
      `last-used-source must be api (ask every key live) or credential-report (the IAM credential report first), got ${quote(lastUsedSource)}`
    )
  }
  const waitText = raw('credential-report-wait-seconds')
  const wait = /^\d+$/.test(waitText) ? Number(waitText) : NaN
  if (!(wait >= 1 && wait <= WAIT_MAX)) {
    problems.push(
      `credential-report-wait-seconds must be a whole number of seconds from 1 to ${WAIT_MAX}, got ${quote(waitText)}`
    )
  }

  const exemptions = parseExemptions(getInput('exemptions'), now)
  problems.push(...exemptions.problems)
  const userTags = bool('user-tags')
  const allowTagRelaxation = bool('allow-tag-relaxation')
  const list = (name: InputName, pattern: RegExp, what: string): string[] => {
    const items = splitList(raw(name))
    for (const item of items)
      if (!pattern.test(item)) problems.push(`${name}: ${quote(item)} is not ${what}`)
    return items
  }
  const includePaths = list(
    'include-paths',
    PATH_GLOB,
    'an IAM path prefix (starts with /, such as /service/ or /team/*/; * and ? are wildcards)'
  )
  const excludeUsers = list(
    'exclude-users',
    USER_GLOB,
    'an IAM user name or glob (letters, digits, + = . @ _ - and the wildcards * ?)'
  )
  const oneOf = <T extends string>(name: InputName, allowed: readonly T[]): T => {
    const value = raw(name)
    if ((allowed as readonly string[]).includes(value)) return value as T
    problems.push(`${name} must be one of ${allowed.join(', ')}, got ${quote(value)}`)
    return INPUT_DEFAULTS[name] as T
  }
  const multipleActiveKeys = oneOf('multiple-active-keys', MULTIPLE_ACTIVE_KEYS)
  const maxInactiveDays = days('max-inactive-days', true)
  const deactivate = oneOf('deactivate', DEACTIVATE_MODES)
  const dryRun = bool('dry-run')
  const createIssue = bool('create-issue')
  const githubToken = getInput('github-token').trim()
  if (createIssue && githubToken === '') {
    problems.push(
      "github-token must be set when create-issue is true (the default is '${{ github.token }}', which needs `permissions: issues: write`), got ''"
    )
  }
  const issueTitle = raw('issue-title')
  const unknown = (issueTitle.match(/\{[^{}]*\}/g) ?? []).filter(p => !TITLE_PLACEHOLDERS.has(p))
  if (unknown.length > 0) {
    problems.push(
      `issue-title may use the placeholders {account} and {alias} only, got ${quote(issueTitle)} (unknown: ${unknown.join(', ')})`
    )
  } else if (issueTitle.length > 256) {
    problems.push(`issue-title must be at most 256 characters, got ${quote(issueTitle)}`)
  }
  const issueLabels = commaList(raw('issue-labels'), (label, n, value) =>
    label === ''
      ? `issue-labels must be a comma-separated list of label names, entry ${n} is empty, got ${quote(value)}`
      : label.length > LABEL_MAX
        ? `issue-labels entry ${n} must be at most ${LABEL_MAX} characters, got ${quote(label)}`
        : null
  )
  const issueAssignees = commaList(raw('issue-assignees'), (login, n, value) =>
    login === ''
      ? `issue-assignees must be a comma-separated list of GitHub logins, entry ${n} is empty, got ${quote(value)}`
      : LOGIN.test(login.replace(/^@/, ''))
        ? null
        : `issue-assignees entry ${n} must be a GitHub login (letters, digits and single hyphens, at most 39 characters), got ${quote(login)}`
  ).map(login => login.replace(/^@/, ''))
  if (issueAssignees.length > ASSIGNEES_MAX) {
    problems.push(
      `issue-assignees may name at most ${ASSIGNEES_MAX} people (GitHub's limit per issue), got ${issueAssignees.length}`
    )
  }
  const maxConcurrency = wholeNumber('max-concurrency', 1, MAX_CONCURRENCY)
  const accounts = listOf('accounts')
  for (const id of accounts) {
    if (!ACCOUNT_ID.test(id))
      problems.push(
        `accounts must be 12-digit AWS account ids, one per line or comma separated, got ${quote(id)}`
      )
  }
  const accountRoleName = raw('account-role-name')
  if (!ROLE_NAME.test(accountRoleName)) {
    problems.push(
      `account-role-name must be an IAM role name (1 to 64 letters, digits and + = , . @ _ -, optionally after a path such as ci/), got ${quote(accountRoleName)}`
    )
  }
  const organization = bool('organization')
  const organizationOus = listOf('organization-ous')
  for (const ou of organizationOus) {
    if (!OU_ID.test(ou))
      problems.push(
        `organization-ous must be organizational unit ids (ou-ab12-cdef3456) or root ids (r-ab12), got ${quote(ou)}`
      )
  }
  if (organization && accounts.length > 0)
    problems.push('accounts and organization: true cannot be used together: set one of them')
  if (organizationOus.length > 0 && !organization)
    problems.push(
      `organization-ous needs organization: true, got ${quote(organizationOus.join(','))}`
    )

  if (problems.length > 0) throw new InputError(problems)
  return Object.freeze({
    roleToAssume: role === '' ? null : role,
    awsRegion: region,
    audience,
    roleSessionName: sessionName,
    policy: Object.freeze({
      maxAgeDays: maxAgeDays as number,
      maxIdleDays: maxIdleDays as number,
      warnAgeDays,
      warnIdleDays,
      multipleActiveKeys,
      maxInactiveDays
    }),
    failOnViolation,
    failOnError,
    reportPath: reportPath === '' ? null : reportPath,
    revealKeyIds,
    exemptions: Object.freeze(exemptions.exemptions),
    userTags,
    allowTagRelaxation,
    scope: Object.freeze({ includePaths, excludeUsers }),
    deactivate,
    createIssue,
    githubToken: githubToken === '' ? null : githubToken,
    issueTitle,
    issueLabels: Object.freeze(issueLabels),
    issueAssignees: Object.freeze(issueAssignees),
    dryRun,
    lastUsedSource: lastUsedSource as Config['lastUsedSource'],
    credentialReportWaitSeconds: wait,
    maxConcurrency: maxConcurrency ?? 1,
    accounts: Object.freeze([...new Set(accounts)]),
    accountRoleName,
    organization,
    organizationOus: Object.freeze([...new Set(organizationOus)])
  })

  /** Splits a comma-separated input; `check` returns the problem with one entry, or null. */
  function commaList(
    value: string,
    check: (entry: string, n: number, value: string) => string | null
  ): string[] {
    if (value === '') return []
    const entries = value.split(',').map(e => e.trim())
    const bad = entries.map((e, i) => check(e, i + 1, value)).filter(p => p !== null)
    if (bad.length > 0) problems.push(bad[0] as string)
    return bad.length > 0 ? [] : entries
  }
}
