import { faultError, QueryError, required, takeFault, validation } from './faults.js'
import { resolveCaller } from './identity.js'
import { isoSeconds, randomId, randomSecret, roleIdFor } from './ids.js'
import type { Params } from './iam.js'
import { OIDC_ISSUER, type OidcIssuer } from './oidc.js'
import type { AccountState, EmulatorState, SessionState } from './state.js'
import { node, text } from './xml.js'

export interface StsContext {
  state: EmulatorState
  oidc: OidcIssuer
  now: number
  /** From the SigV4 header; AssumeRoleWithWebIdentity is sent unsigned. */
  accessKeyId: string | undefined
  /** Filled in as soon as the account a call concerns is known, for the request log. */
  record: { account?: string }
}

const ROLE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/

interface RoleTarget {
  partition: string
  account: string
  roleName: string
  roleArn: string
}

function parseAssumeParams(params: Params): {
  role: RoleTarget
  sessionName: string
  durationS: number
} {
  const roleArn = required(params, 'RoleArn')
  const sessionName = required(params, 'RoleSessionName')
  const match = ROLE_ARN.exec(roleArn)
  if (!match) throw new QueryError('ValidationError', `Request ARN is invalid`)
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(
      `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`
    )
  }
  const durationS = params.DurationSeconds === undefined ? 3600 : Number(params.DurationSeconds)
  if (!Number.isInteger(durationS) || durationS < 900 || durationS > 43200) {
    throw validation(
      `Value '${params.DurationSeconds ?? ''}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`
    )
  }
  const [, partition = 'aws', account = '', roleName = ''] = match
  return { role: { partition, account, roleName, roleArn }, sessionName, durationS }
}

/** The trust checks STS would make against the role, in the scenario's terms. */
function targetAccount(
  state: EmulatorState,
  role: RoleTarget,
  denied: () => QueryError
): AccountState {
  const account = state.account(role.account)
  if (!account || account.assumeRoleDenied) throw denied()
  if (account.roles && !account.roles.includes(role.roleName)) throw denied()
  return account
}

function issueSession(
  state: EmulatorState,
  role: RoleTarget,
  sessionName: string,
  durationS: number,
  now: number,
  via: SessionState['via']
): SessionState {
  const roleId = roleIdFor(role.roleArn)
  let accessKeyId = randomId('ASIA', 16)
  while (state.sessions.has(accessKeyId)) accessKeyId = randomId('ASIA', 16)
  const session: SessionState = {
    accessKeyId,
    secretAccessKey: randomSecret(40),
    // Real session tokens are long opaque base64 blobs; clients must not assume a size.
    sessionToken: `IQoJb3JpZ2luX2VjE${randomSecret(300)}`,
    account: role.account,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName,
    assumedRoleId: `${roleId}:${sessionName}`,
    arn: `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`,
    expiration: new Date(now + durationS * 1000),
    via
  }
  state.sessions.set(accessKeyId, session)
  return session
}

function sessionXml(session: SessionState): string {
  return (
    node(
      'Credentials',
      text('AccessKeyId', session.accessKeyId),
      text('SecretAccessKey', session.secretAccessKey),
      text('SessionToken', session.sessionToken),
      text('Expiration', isoSeconds(session.expiration))
    ) +
    node('AssumedRoleUser', text('AssumedRoleId', session.assumedRoleId), text('Arn', session.arn))
  )
}

export function handleSts(ctx: StsContext, action: string, params: Params): string {
  const { state, now } = ctx
  switch (action) {
    case 'AssumeRoleWithWebIdentity': {
      const token = required(params, 'WebIdentityToken')
      const { role, sessionName, durationS } = parseAssumeParams(params)
      ctx.record.account = role.account
      applyFaults(state, role.account, action, `arn:aws:sts::${role.account}:federated-user`)
      const verified = ctx.oidc.verify(token, now)
      if (!verified.ok) throw new QueryError(verified.code, verified.message)
      if (verified.claims.aud !== state.oidcAudience) {
        throw new QueryError('InvalidIdentityToken', 'Incorrect token audience')
      }
      targetAccount(
        state,
        role,
        () =>
          new QueryError(
            'AccessDenied',
            'Not authorized to perform sts:AssumeRoleWithWebIdentity',
            403
          )
      )
      const session = issueSession(state, role, sessionName, durationS, now, action)
      return (
        sessionXml(session) +
        text('SubjectFromWebIdentityToken', verified.claims.sub) +
        text('Audience', verified.claims.aud) +
        text('Provider', OIDC_ISSUER)
      )
    }
    case 'AssumeRole': {
      const caller = resolveCaller(state, ctx.accessKeyId, now)
      const { role, sessionName, durationS } = parseAssumeParams(params)
      ctx.record.account = role.account
      applyFaults(state, role.account, action, caller.arn)
      const denied = (): QueryError =>
        new QueryError(
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.roleArn}`,
          403
        )
      targetAccount(state, role, denied)
      const session = issueSession(state, role, sessionName, durationS, now, action)
      return sessionXml(session) + text('SourceIdentity', params.SourceIdentity)
    }
    case 'GetCallerIdentity': {
      const caller = resolveCaller(state, ctx.accessKeyId, now)
      ctx.record.account = caller.account.id
      applyFaults(state, caller.account.id, action, caller.arn)
      return (
        text('Arn', caller.arn) + text('UserId', caller.userId) + text('Account', caller.account.id)
      )
    }
    default:
      throw new QueryError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service.`
      )
  }
}

function applyFaults(
  state: EmulatorState,
  accountId: string,
  action: string,
  callerArn: string
): void {
  const account = state.account(accountId)
  if (!account) return
  const target = { action }
  const fault = takeFault(account.faults, target)
  if (fault) throw faultError(fault, target, callerArn)
}
