import { generateCredentialReport, getCredentialReport } from './credential-report.js'
import {
  faultError,
  QueryError,
  required,
  takeFault,
  validation,
  type FaultTarget
} from './faults.js'
import type { Caller } from './identity.js'
import { isoSeconds } from './ids.js'
import type { AccountState, EmulatorState, KeyState, UserState } from './state.js'
import { escapeXml, members, node, text } from './xml.js'

export type Params = Record<string, string>

const USER_NAME = /^[\w+=,.@-]{1,128}$/

function noSuchUser(name: string): QueryError {
  return new QueryError('NoSuchEntity', `The user with name ${name} cannot be found.`, 404)
}

/** Markers are opaque to clients, like AWS's; inside they hold the offset of the next item. */
function encodeMarker(offset: number): string {
  return Buffer.from(`emulator-marker:${offset}:${offset.toString(36)}`).toString('base64url')
}

function decodeMarker(marker: string): number {
  const match = Buffer.from(marker, 'base64url')
    .toString('utf8')
    .match(/^emulator-marker:(\d+):([0-9a-z]+)$/)
  const offset = match ? Number(match[1]) : NaN
  if (!match || offset.toString(36) !== match[2]) {
    throw new QueryError('ValidationError', 'Invalid Marker')
  }
  return offset
}

/** One page of a list, with IsTruncated and Marker written the way IAM writes them. */
function paged<T>(
  items: readonly T[],
  params: Params,
  render: (page: readonly T[]) => string
): string {
  let maxItems = 100
  if (params.MaxItems !== undefined) {
    maxItems = Number(params.MaxItems)
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
      const bound = maxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'
      throw validation(
        `Value '${params.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`
      )
    }
  }
  const start = params.Marker ? decodeMarker(params.Marker) : 0
  const page = items.slice(start, start + maxItems)
  const next = start + page.length
  const truncated = next < items.length
  return (
    render(page) +
    text('IsTruncated', truncated) +
    (truncated ? text('Marker', encodeMarker(next)) : '')
  )
}

function userXml(user: UserState): string {
  return (
    text('Path', user.path) +
    text('UserName', user.userName) +
    text('UserId', user.userId) +
    text('Arn', user.arn) +
    text('CreateDate', isoSeconds(user.createDate))
  )
}

function keyXml(user: UserState, key: KeyState): string {
  return (
    text('UserName', user.userName) +
    text('AccessKeyId', key.accessKeyId) +
    text('Status', key.status) +
    text('CreateDate', isoSeconds(key.createDate))
  )
}

/** Both callers the emulator knows (sessions, ambient keys) are non-user credentials. */
function targetUser(state: EmulatorState, account: AccountState, params: Params): UserState {
  const name = params.UserName
  if (name === undefined || name === '') {
    throw new QueryError(
      'ValidationError',
      'Must specify userName when calling with non-User credentials'
    )
  }
  if (!USER_NAME.test(name)) {
    throw validation(
      `Value '${name}' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`
    )
  }
  const user = state.findUser(account, name)
  if (!user) throw noSuchUser(name)
  return user
}

function faultTarget(
  state: EmulatorState,
  account: AccountState,
  action: string,
  params: Params
): FaultTarget {
  const target: FaultTarget = { action }
  if (params.UserName) target.user = params.UserName
  if (params.AccessKeyId) {
    target.accessKeyId = params.AccessKeyId
    target.user ??= state.findKey(account, params.AccessKeyId)?.user.userName
  }
  return target
}

const SUMMARY_QUOTAS: Record<string, number> = {
  AccessKeysPerUserQuota: 2,
  AccountMFAEnabled: 0,
  AccountSigningCertificatesPresent: 0,
  AssumeRolePolicySizeQuota: 2048,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  AttachedPoliciesPerUserQuota: 10,
  GlobalEndpointTokenVersion: 1,
  GroupPolicySizeQuota: 5120,
  Groups: 0,
  GroupsPerUserQuota: 10,
  GroupsQuota: 300,
  InstanceProfiles: 0,
  InstanceProfilesQuota: 1000,
  MFADevices: 0,
  MFADevicesInUse: 0,
  Policies: 0,
  PoliciesQuota: 1500,
  PolicySizeQuota: 6144,
  PolicyVersionsInUse: 0,
  PolicyVersionsInUseQuota: 10000,
  Providers: 1,
  Roles: 1,
  RolesQuota: 1000,
  ServerCertificates: 0,
  ServerCertificatesQuota: 20,
  SigningCertificatesPerUserQuota: 2,
  UserPolicySizeQuota: 2048,
  UsersQuota: 5000,
  VersionsPerPolicyQuota: 5
}

/**
 * Answers one IAM action in the caller's account. Returns the inner XML of <ActionResult>,
 * or null for actions whose response has no result element.
 */
export function handleIam(
  state: EmulatorState,
  caller: Caller,
  action: string,
  params: Params
): string | null {
  const account = caller.account
  const target = faultTarget(state, account, action, params)
  const fault = takeFault(account.faults, target)
  if (fault) throw faultError(fault, target, caller.arn)

  switch (action) {
    case 'ListUsers': {
      const prefix = params.PathPrefix ?? '/'
      if (!prefix.startsWith('/')) {
        throw validation(
          `Value '${prefix}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*`
        )
      }
      const users =
        prefix === '/' ? account.users : account.users.filter(u => u.path.startsWith(prefix))
      return paged(users, params, page => members('Users', page, userXml))
    }
    case 'ListAccessKeys': {
      const user = targetUser(state, account, params)
      return paged(user.keys, params, page =>
        members('AccessKeyMetadata', page, k => keyXml(user, k))
      )
    }
    case 'GetAccessKeyLastUsed': {
      const id = required(params, 'AccessKeyId')
      const found = state.findKey(account, id)
      if (!found) {
        // IAM cannot tell a key of another account from a missing one and denies both.
        throw new QueryError(
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`,
          403
        )
      }
      const used = found.key.lastUsed
      const lastUsed = used
        ? text('LastUsedDate', isoSeconds(used.date)) +
          text('ServiceName', used.service) +
          text('Region', used.region)
        : text('ServiceName', 'N/A') + text('Region', 'N/A')
      return node('AccessKeyLastUsed', lastUsed) + text('UserName', found.user.userName)
    }
    case 'GetAccountSummary': {
      const entries: Array<[string, number]> = [
        ...Object.entries(SUMMARY_QUOTAS),
        ['Users', account.users.length],
        ['AccountAccessKeysPresent', account.rootAccessKeysPresent ? 1 : 0]
      ]
      return node(
        'SummaryMap',
        ...entries.map(([key, value]) => node('entry', text('key', key), text('value', value)))
      )
    }
    case 'ListAccountAliases': {
      const aliases = account.alias === undefined ? [] : [account.alias]
      return paged(aliases, params, page => members('AccountAliases', page, escapeXml))
    }
    case 'ListUserTags': {
      const name = required(params, 'UserName')
      const user = state.findUser(account, name)
      if (!user) throw noSuchUser(name)
      const tags = Object.entries(user.tags)
      return paged(tags, params, page =>
        members('Tags', page, ([key, value]) => text('Key', key) + text('Value', value))
      )
    }
    case 'GenerateCredentialReport':
      return generateCredentialReport(account, Date.now())
    case 'GetCredentialReport':
      return getCredentialReport(account, Date.now())
    case 'UpdateAccessKey': {
      const id = required(params, 'AccessKeyId')
      const status = required(params, 'Status')
      if (status !== 'Active' && status !== 'Inactive') {
        throw validation(
          `Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`
        )
      }
      const user = targetUser(state, account, params)
      const key = user.keys.find(k => k.accessKeyId === id)
      if (!key)
        throw new QueryError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`, 404)
      key.status = status
      return null
    }
    default:
      throw new QueryError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service.`
      )
  }
}
