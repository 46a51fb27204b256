import type { Fault, GithubFault } from './scenario.js'

/** An AWS query-protocol error; thrown by handlers and written as <ErrorResponse>. */
export class QueryError extends Error {
  readonly type: 'Sender' | 'Receiver'

  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400
  ) {
    super(message)
    this.type = status >= 500 ? 'Receiver' : 'Sender'
  }
}

export function defaultFaultStatus(code: string): number {
  switch (code) {
    case 'AccessDenied':
      return 403
    case 'NoSuchEntity':
    case 'ReportInProgress':
      return 404
    case 'LimitExceeded':
      return 409
    case 'ReportNotPresent':
    case 'ReportExpired':
      return 410
    case 'ServiceFailure':
    case 'InternalFailure':
      return 500
    case 'ServiceUnavailable':
      return 503
    default:
      return 400
  }
}

export interface FaultTarget {
  action: string
  user?: string
  accessKeyId?: string
}

/** The first fault that matches, with its remaining count taken down by one. */
export function takeFault(faults: Fault[], target: FaultTarget): Fault | undefined {
  const fault = faults.find(f => {
    if (f.action !== target.action) return false
    if (f.times !== undefined && f.times <= 0) return false
    if (f.user !== undefined && f.user.toLowerCase() !== target.user?.toLowerCase()) return false
    if (f.accessKeyId !== undefined && f.accessKeyId !== target.accessKeyId) return false
    return true
  })
  if (fault?.times !== undefined) fault.times -= 1
  return fault
}

export function faultError(fault: Fault, target: FaultTarget, callerArn: string): QueryError {
  const status = fault.status ?? defaultFaultStatus(fault.code)
  return new QueryError(
    fault.code,
    fault.message ?? defaultMessage(fault.code, target, callerArn),
    status
  )
}

function defaultMessage(code: string, target: FaultTarget, callerArn: string): string {
  const service =
    target.action.startsWith('Assume') || target.action === 'GetCallerIdentity' ? 'sts' : 'iam'
  switch (code) {
    case 'AccessDenied': {
      const resource = target.user ? ` on resource: user ${target.user}` : ''
      return (
        `User: ${callerArn} is not authorized to perform: ${service}:${target.action}${resource} ` +
        `because no identity-based policy allows the ${service}:${target.action} action`
      )
    }
    case 'NoSuchEntity':
      return target.user
        ? `The user with name ${target.user} cannot be found.`
        : `The Access Key with id ${target.accessKeyId ?? 'unknown'} cannot be found.`
    case 'Throttling':
      return 'Rate exceeded'
    case 'ServiceFailure':
      return 'Request processing has failed due to some unknown error, exception or failure.'
    default:
      return `Injected fault: ${code}`
  }
}

function pathMatches(pattern: string, path: string): boolean {
  if (path.includes(pattern)) return true
  try {
    return new RegExp(pattern).test(path)
  } catch {
    return false
  }
}

export function takeGithubFault(
  faults: GithubFault[],
  method: string,
  path: string
): GithubFault | undefined {
  const fault = faults.find(
    f =>
      (f.times === undefined || f.times > 0) &&
      (f.method === '*' || f.method.toUpperCase() === method.toUpperCase()) &&
      pathMatches(f.pathPattern, path)
  )
  if (fault?.times !== undefined) fault.times -= 1
  return fault
}

/** A query parameter's validation error, worded like AWS's. */
export function validation(message: string): QueryError {
  return new QueryError('ValidationError', `1 validation error detected: ${message}`)
}

/** A required query parameter, or AWS's "Member must not be null" error. */
export function required(params: Record<string, string>, name: string): string {
  const value = params[name]
  if (value === undefined || value === '') {
    const member = name.charAt(0).toLowerCase() + name.slice(1)
    throw validation(
      `Value null at '${member}' failed to satisfy constraint: Member must not be null`
    )
  }
  return value
}
