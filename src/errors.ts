/**
 * Turns anything thrown into one line a user can read. A gate must never fail open because
 * something other than an `Error` was thrown, so every value gets a message.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : ''
    return `${name}${error.message}`
  }
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/** An error whose message is already written for the user: no name prefix, no stack. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UserFacingError'
  }
}

/** Message of a user-facing error as is; anything else with its error name for context. */
export function describeFailure(error: unknown): string {
  return error instanceof UserFacingError ? error.message : errorMessage(error)
}

/** The AWS error code of an SDK error (`Throttling`, `AccessDenied`, …), when there is one. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as { name?: unknown; Code?: unknown; code?: unknown }
  for (const c of [e.Code, e.code, e.name]) if (typeof c === 'string' && c !== 'Error') return c
  return undefined
}

/** The HTTP status an SDK error came with, when there is one. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined
}
