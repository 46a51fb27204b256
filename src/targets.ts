import type { Account } from '@aws-sdk/client-organizations'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { maskedCredentials, type AwsCredentialIdentity } from './credentials.js'
import { UserFacingError, awsErrorCode, describeFailure, errorMessage } from './errors.js'
import { retryLogLine, withRetry, type Sleep } from './retry.js'

export interface TargetDeps {
  readonly region: string
  /** The role-to-assume session (or undefined: the SDK's default chain). */
  readonly credentials: AwsCredentialIdentity | undefined
  readonly setSecret: (value: string) => void
  readonly log: (message: string) => void
  readonly sleep?: Sleep
}

// Errors another attempt cannot fix: the role or its trust policy is wrong.
const PERMANENT = new Set(['AccessDenied', 'ValidationError', 'InvalidClientTokenId'])

/** The partition of a role ARN or, without one, of the region (IAM ARNs differ per partition). */
export function partitionOf(roleArn: string | null, region: string): string {
  const fromArn = roleArn?.split(':')[1]
  if (fromArn) return fromArn
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('eusc-')) return 'aws-eusc'
  if (region.startsWith('us-isob-')) return 'aws-iso-b'
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e'
  if (region.startsWith('us-isof-')) return 'aws-iso-f'
  if (region.startsWith('us-iso-')) return 'aws-iso'
  return 'aws'
}

/**
 * Assumes `roleName` in `accountId` from the hub session (role chaining), retrying what may
 * pass on a later attempt. The session is masked before anything could log it.
 */
export async function assumeAccountRole(
  accountId: string,
  roleArn: string,
  sessionName: string,
  deps: TargetDeps
): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ region: deps.region, credentials: deps.credentials, maxAttempts: 1 })
  try {
    const out = await withRetry(
      () =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: sessionName,
            DurationSeconds: 3600
          })
        ),
      {
        attempts: 4,
        baseMs: 500,
        capMs: 8000,
        sleep: deps.sleep,
        retryable: error => !PERMANENT.has(awsErrorCode(error) ?? ''),
        onRetry: ({ attempt, attempts, error, delayMs }) =>
          deps.log(
            `${retryLogLine(`AssumeRole into ${accountId}`, attempt, attempts, error)}; retrying in ${delayMs} ms`
          )
      }
    )
    return maskedCredentials(out.Credentials, deps.setSecret, 'AssumeRole')
  } catch (error) {
    throw new UserFacingError(
      `Could not assume ${roleArn} (input account-role-name): ${describeFailure(error)}`
    )
  } finally {
    sts.destroy()
  }
}

const isActive = (a: Account): boolean => (a.State ?? a.Status) === 'ACTIVE'

/**
 * The organization's ACTIVE accounts, sorted by id; with `parents`, only those under them
 * (nested OUs included). Throws a message that names the input when the listing fails: an
 * audit of "no accounts" must never read as clean.
 */
export async function listOrganizationAccounts(
  parents: readonly string[],
  deps: TargetDeps
): Promise<string[]> {
  // Loaded only in organization mode: the client is 6 MB of memory a one-account run never needs.
  const {
    ListAccountsCommand,
    ListAccountsForParentCommand,
    ListChildrenCommand,
    OrganizationsClient
  } = await import('@aws-sdk/client-organizations')
  const org = new OrganizationsClient({
    region: deps.region,
    credentials: deps.credentials,
    maxAttempts: 5
  })
  const ids = new Set<string>()
  try {
    if (parents.length === 0) {
      let token: string | undefined
      do {
        const page = await org.send(new ListAccountsCommand({ NextToken: token }))
        for (const a of page.Accounts ?? []) if (a.Id && isActive(a)) ids.add(a.Id)
        token = page.NextToken
      } while (token)
    } else {
      const queue = [...parents]
      const seen = new Set<string>()
      while (queue.length > 0) {
        const parent = queue.shift() as string
        if (seen.has(parent)) continue
        seen.add(parent)
        let token: string | undefined
        do {
          const page = await org.send(
            new ListAccountsForParentCommand({ ParentId: parent, NextToken: token })
          )
          for (const a of page.Accounts ?? []) if (a.Id && isActive(a)) ids.add(a.Id)
          token = page.NextToken
        } while (token)
        do {
          const page = await org.send(
            new ListChildrenCommand({
              ParentId: parent,
              ChildType: 'ORGANIZATIONAL_UNIT',
              NextToken: token
            })
          )
          for (const child of page.Children ?? []) if (child.Id) queue.push(child.Id)
          token = page.NextToken
        } while (token)
      }
    }
  } catch (error) {
    throw new UserFacingError(
      `Could not list the organization's accounts (input organization${parents.length ? ', organization-ous' : ''}): ${errorMessage(error)}`
    )
  } finally {
    org.destroy()
  }
  if (ids.size === 0)
    throw new UserFacingError(
      `The organization has no ACTIVE account${parents.length ? ` under ${parents.join(', ')} (input organization-ous)` : ''}: nothing to audit`
    )
  return [...ids].sort()
}
