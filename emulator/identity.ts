import { QueryError } from './faults.js'
import { userIdFor } from './ids.js'
import type { AccountState, EmulatorState, SessionState } from './state.js'

/** Whose credentials signed a request, as far as IAM and STS are concerned. */
export interface Caller {
  accessKeyId: string
  account: AccountState
  arn: string
  userId: string
  session?: SessionState
}

/** Name of the principal that ambient (never-issued) credentials act as. */
export const AMBIENT_USER = 'ambient-caller'

const ambientIds = new Map<string, string>()

function ambientUserId(account: string): string {
  let id = ambientIds.get(account)
  if (id === undefined) {
    id = userIdFor(account, AMBIENT_USER)
    ambientIds.set(account, id)
  }
  return id
}

/** The access key id from a SigV4 Authorization header or a presigned URL's X-Amz-Credential. */
export function accessKeyIdOf(
  authorization: string | undefined,
  query: URLSearchParams
): string | undefined {
  const fromHeader = authorization?.match(/Credential=([^/,\s]+)\//)?.[1]
  return fromHeader ?? query.get('X-Amz-Credential')?.split('/')[0] ?? undefined
}

/**
 * Sessions the emulator issued belong to their account; any other key (ambient or static
 * test credentials) acts in the first account. Keys are not looked up among the scenario's
 * users: that would cost a scan of every key on every ambient call.
 */
export function resolveCaller(
  state: EmulatorState,
  accessKeyId: string | undefined,
  now: number
): Caller {
  if (!accessKeyId) {
    throw new QueryError(
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
      403
    )
  }
  const invalid = (): QueryError =>
    new QueryError(
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
      403
    )
  const session = state.sessions.get(accessKeyId)
  if (session) {
    if (session.expiration.getTime() <= now) {
      throw new QueryError(
        'ExpiredToken',
        'The security token included in the request is expired',
        403
      )
    }
    const account = state.account(session.account)
    if (!account) throw invalid()
    return {
      accessKeyId,
      account,
      arn: session.arn,
      userId: session.assumedRoleId,
      session
    }
  }
  const first = state.accounts[0]
  if (!first) throw invalid()
  return {
    accessKeyId,
    account: first,
    arn: `arn:aws:iam::${first.id}:user/${AMBIENT_USER}`,
    userId: ambientUserId(first.id)
  }
}
