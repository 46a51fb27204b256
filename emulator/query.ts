import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { QueryError } from './faults.js'
import { handleIam, type Params } from './iam.js'
import { resolveCaller } from './identity.js'
import type { OidcIssuer } from './oidc.js'
import type { EmulatorState } from './state.js'
import { handleSts } from './sts.js'
import type { Throttler } from './throttle.js'
import { errorResponse, IAM_NS, queryResponse, STS_NS } from './xml.js'

export interface QueryDeps {
  state: EmulatorState
  oidc: OidcIssuer
  throttler: Throttler
}

export interface QueryOutcome {
  status: number
  body: string
  requestId: string
  action: string
  account?: string
  errorCode?: string
  throttled?: boolean
}

function latencyMs(state: EmulatorState): number {
  const setting = state.latencyMs
  if (setting === undefined) return 0
  if (typeof setting === 'number') return setting
  return setting.min + Math.random() * (setting.max - setting.min)
}

/** One AWS query-protocol call (IAM or STS), from form parameters to the XML answer. */
export async function serveQuery(
  service: 'iam' | 'sts',
  deps: QueryDeps,
  params: Params,
  accessKeyId: string | undefined
): Promise<QueryOutcome> {
  const { state } = deps
  const action = params.Action ?? ''
  const requestId = randomUUID()
  const namespace = service === 'iam' ? IAM_NS : STS_NS
  const outcome: QueryOutcome = { status: 200, body: '', requestId, action }
  try {
    let result: string | null
    if (service === 'iam') {
      const caller = resolveCaller(state, accessKeyId, Date.now())
      outcome.account = caller.account.id
      // Decided on arrival, so the bucket sees the client's real request rate.
      const allowed = deps.throttler.allow(caller.account.id, caller.account.throttle)
      const delay = latencyMs(state)
      if (delay > 0) await sleep(delay)
      if (!allowed) {
        outcome.throttled = true
        throw new QueryError('Throttling', 'Rate exceeded', 400)
      }
      result = handleIam(state, caller, action, params)
    } else {
      const record: { account?: string } = {}
      try {
        result = handleSts(
          { state, oidc: deps.oidc, now: Date.now(), accessKeyId, record },
          action,
          params
        )
      } finally {
        if (record.account !== undefined) outcome.account = record.account
      }
    }
    outcome.body = queryResponse(action, namespace, result, requestId)
  } catch (error) {
    const err =
      error instanceof QueryError
        ? error
        : new QueryError('InternalFailure', `Emulator failure: ${String(error)}`, 500)
    outcome.status = err.status
    outcome.errorCode = err.code
    outcome.body = errorResponse(
      namespace,
      { type: err.type, code: err.code, message: err.message },
      requestId
    )
  }
  return outcome
}
