import { awsErrorCode, errorMessage, httpStatus } from './errors.js'

export type Sleep = (ms: number) => Promise<void>
export const realSleep: Sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete'
])

const TRANSIENT_CODES = new Set([
  'ServiceFailure',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'IDPCommunicationError',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT'
])

/** True when AWS asked us to slow down. */
export function isThrottling(error: unknown): boolean {
  const code = awsErrorCode(error)
  return (code !== undefined && THROTTLING_CODES.has(code)) || httpStatus(error) === 429
}

/** True when a later attempt of the same call may succeed (throttling, 5xx, network). */
export function isRetryable(error: unknown): boolean {
  if (isThrottling(error)) return true
  const code = awsErrorCode(error)
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true
  const status = httpStatus(error)
  if (status !== undefined) return status >= 500
  // No HTTP status at all: the request never got an answer (socket reset, DNS, timeout).
  const sys = (error as { code?: unknown } | null)?.code
  return typeof sys === 'string' && TRANSIENT_CODES.has(sys)
}

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number
  /** Backoff base in ms: attempt n waits a random time in [0, min(cap, base·2^n)). */
  baseMs: number
  capMs: number
  sleep?: Sleep
  random?: () => number
  retryable?: (error: unknown) => boolean
  /** Called before each wait; used for the "attempt n of m failed" log line and counters. */
  onRetry?: (info: { attempt: number; attempts: number; error: unknown; delayMs: number }) => void
}

/** Full-jitter exponential backoff delay for a zero-based retry number. */
export function fullJitterDelay(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

/**
 * Runs `fn` until it succeeds, fails with an error that is not retryable, or runs out of
 * attempts; then the last error is thrown as it was.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions
): Promise<T> {
  const sleep = opts.sleep ?? realSleep
  const retryable = opts.retryable ?? isRetryable
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= opts.attempts || !retryable(error)) throw error
      const delayMs = fullJitterDelay(attempt - 1, opts.baseMs, opts.capMs, opts.random)
      opts.onRetry?.({ attempt, attempts: opts.attempts, error, delayMs })
      await sleep(delayMs)
    }
  }
}

/** The log line for a failed attempt, without secrets: only the error's code and message. */
export function retryLogLine(
  what: string,
  attempt: number,
  attempts: number,
  error: unknown
): string {
  return `${what}: attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}`
}
