import { UserFacingError } from './errors.js'

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

/** The thresholds the judge applies. */
export interface Policy {
  readonly maxAgeDays: number
  readonly maxIdleDays: number
  readonly warnAgeDays: number | null
  readonly warnIdleDays: number | null
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
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
const DAYS_MAX = 3650
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
 * together, so a user fixes their workflow in one round.
 */
export function parseConfig(getInput: GetInput): Config {
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
      warnIdleDays
    }),
    failOnViolation,
    failOnError,
    reportPath: reportPath === '' ? null : reportPath,
    revealKeyIds,
    maxConcurrency: maxConcurrency ?? 1,
    accounts: Object.freeze([...new Set(accounts)]),
    accountRoleName,
    organization,
    organizationOus: Object.freeze([...new Set(organizationOus)])
  })
}
