import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient
} from '@aws-sdk/client-sts'
import { UserFacingError, awsErrorCode, errorMessage } from './errors.js'
import { retryLogLine, withRetry, type Sleep } from './retry.js'

/** Static session credentials, in the shape every SDK v3 client accepts. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
  readonly expiration?: Date
}

export interface CredentialDeps {
  /** `core.getIDToken`. */
  getIDToken: (audience: string) => Promise<string>
  /** `core.setSecret`: masks a value in every later log line. */
  setSecret: (value: string) => void
  log: (message: string) => void
  env: NodeJS.ProcessEnv
  sleep?: Sleep
  random?: () => number
}

export interface Identity {
  /** Undefined: the SDK's default credential chain. */
  readonly credentials: AwsCredentialIdentity | undefined
  readonly accountId: string
  readonly arn: string
}

export interface CredentialOptions {
  readonly roleToAssume: string | null
  readonly awsRegion: string
  readonly audience: string
  readonly roleSessionName: string
}

const ASSUME_ATTEMPTS = 4
// Errors that another attempt cannot fix: the trust policy or the token is wrong.
const PERMANENT = new Set([
  'AccessDenied',
  'InvalidIdentityToken',
  'ExpiredTokenException',
  'ValidationError',
  'MalformedPolicyDocument',
  'RegionDisabledException'
])

/** The message for a job without `permissions: id-token: write`. */
export const ID_TOKEN_PERMISSION_MESSAGE =
  'Could not get a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set. ' +
  'Add `id-token: write` under `permissions:` of the job (or the workflow) that runs this action, ' +
  'for example:\n  permissions:\n    id-token: write\n    contents: read'

/**
 * Gets credentials for the audit: the workflow's OIDC token exchanged for a role session, or,
 * without `role-to-assume`, whatever the SDK's default chain finds. Then asks STS who we are.
 */
export async function resolveIdentity(
  opts: CredentialOptions,
  deps: CredentialDeps
): Promise<Identity> {
  const sts = new STSClient({ region: opts.awsRegion, maxAttempts: 1 })
  let credentials: AwsCredentialIdentity | undefined
  if (opts.roleToAssume !== null) {
    credentials = await assumeRoleWithOidc(sts, opts.roleToAssume, opts, deps)
  }
  const whoami = credentials
    ? new STSClient({ region: opts.awsRegion, credentials, maxAttempts: 3 })
    : new STSClient({ region: opts.awsRegion, maxAttempts: 3 })
  try {
    const out = await whoami.send(new GetCallerIdentityCommand({}))
    if (!out.Account) throw new Error('STS GetCallerIdentity returned no account id')
    return { credentials, accountId: out.Account, arn: out.Arn ?? '' }
  } catch (error) {
    if (credentials)
      throw new UserFacingError(
        `Could not confirm the assumed role with STS GetCallerIdentity: ${errorMessage(error)}`
      )
    throw new UserFacingError(
      `No usable AWS credentials: ${errorMessage(error)}. Set role-to-assume to a role this workflow may assume ` +
        '(with `permissions: id-token: write`), or configure credentials in an earlier step, for example with aws-actions/configure-aws-credentials.'
    )
  } finally {
    whoami.destroy()
    sts.destroy()
  }
}

async function assumeRoleWithOidc(
  sts: STSClient,
  roleArn: string,
  opts: CredentialOptions,
  deps: CredentialDeps
): Promise<AwsCredentialIdentity> {
  if (!deps.env.ACTIONS_ID_TOKEN_REQUEST_URL || !deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new UserFacingError(ID_TOKEN_PERMISSION_MESSAGE)
  }
  let token: string
  try {
    token = await deps.getIDToken(opts.audience)
  } catch (error) {
    throw new UserFacingError(
      `Could not get a GitHub OIDC token for audience '${opts.audience}': ${errorMessage(error)}`
    )
  }
  deps.setSecret(token)

  const out = await withRetry(
    () =>
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn,
          RoleSessionName: opts.roleSessionName,
          WebIdentityToken: token,
          DurationSeconds: 3600
        })
      ),
    {
      attempts: ASSUME_ATTEMPTS,
      baseMs: 500,
      capMs: 8000,
      sleep: deps.sleep,
      random: deps.random,
      retryable: error => !PERMANENT.has(awsErrorCode(error) ?? ''),
      onRetry: ({ attempt, attempts, error, delayMs }) =>
        deps.log(
          `${retryLogLine('AssumeRoleWithWebIdentity', attempt, attempts, error)}; retrying in ${delayMs} ms`
        )
    }
  ).catch((error: unknown) => {
    throw new UserFacingError(
      `Could not assume role ${roleArn} with the workflow's OIDC token: ${errorMessage(error)}. ` +
        "Check the role's trust policy: it must trust token.actions.githubusercontent.com with audience " +
        `'${opts.audience}' and a 'sub' condition that matches this repository and branch.`
    )
  })

  return maskedCredentials(
    out.Credentials,
    deps.setSecret,
    `AssumeRoleWithWebIdentity for ${roleArn}`
  )
}

/**
 * STS session credentials as the SDK takes them, each part masked in every later log line
 * before anything can print it. Throws when STS answered without them.
 */
export function maskedCredentials(
  c:
    | { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date }
    | undefined,
  setSecret: (value: string) => void,
  what: string
): AwsCredentialIdentity {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new UserFacingError(`STS ${what} returned no credentials`)
  }
  setSecret(c.AccessKeyId)
  setSecret(c.SecretAccessKey)
  setSecret(c.SessionToken)
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration
  }
}
