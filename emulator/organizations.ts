/**
 * AWS Organizations, the three read calls the action makes, on its awsJson1_1 protocol (POST,
 * `X-Amz-Target: AWSOrganizationsV20161128.<Action>`, JSON in and out). Every scenario account
 * is a member; `Scenario.organization` places them in OUs and marks some suspended.
 */
import { resolveCaller } from './identity.js'
import { QueryError } from './faults.js'
import type { Scenario } from './scenario.js'
import type { EmulatorState } from './state.js'

export const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128.'
const PAGE = 20

export interface OrganizationsReply {
  status: number
  body: string
  action: string
  errorCode?: string
}

interface Member {
  Id: string
  Arn: string
  Email: string
  Name: string
  Status: 'ACTIVE' | 'SUSPENDED'
  State: 'ACTIVE' | 'SUSPENDED'
  JoinedMethod: 'CREATED'
  JoinedTimestamp: number
}

function page<T>(items: T[], token: unknown): { items: T[]; next?: string } {
  const start = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : 0
  const items_ = items.slice(start, start + PAGE)
  return start + PAGE < items.length
    ? { items: items_, next: String(start + PAGE) }
    : { items: items_ }
}

/** One Organizations call; `accessKeyId` signs it, as for IAM. */
export function handleOrganizations(
  state: EmulatorState,
  scenario: Scenario,
  target: string,
  body: string,
  accessKeyId: string | undefined
): OrganizationsReply {
  const action = target.slice(ORGANIZATIONS_TARGET.length)
  const org = scenario.organization ?? {}
  const rootId = org.rootId ?? 'r-a1b2'
  const parentOf = (id: string): string => org.placement?.[id] ?? rootId
  try {
    const caller = resolveCaller(state, accessKeyId, Date.now())
    if (org.deniedAccounts?.includes(caller.account.id))
      throw new QueryError(
        'AccessDeniedException',
        'You don\u2019t have permissions to access this resource.'
      )
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>
    const management = org.managementAccountId ?? state.accounts[0]?.id ?? '000000000000'
    const members: Member[] = state.accounts.map(a => {
      const status = org.suspended?.includes(a.id) ? 'SUSPENDED' : 'ACTIVE'
      return {
        Id: a.id,
        Arn: `arn:aws:organizations::${management}:account/o-emulator01/${a.id}`,
        Email: `aws+${a.id}@example.com`,
        Name: a.alias ?? `account-${a.id}`,
        Status: status,
        State: status,
        JoinedMethod: 'CREATED',
        JoinedTimestamp: Math.floor(state.startedAt / 1000) - 86_400 * 365
      }
    })
    const parentKnown = (id: unknown): string => {
      if (typeof id !== 'string' || (id !== rootId && !org.ous?.some(o => o.id === id)))
        throw new QueryError(
          'ParentNotFoundException',
          'We can\u2019t find a root or OU with the ParentId that you specified.'
        )
      return id
    }
    switch (action) {
      case 'ListAccounts': {
        const p = page(members, input.NextToken)
        return ok(action, { Accounts: p.items, NextToken: p.next })
      }
      case 'ListAccountsForParent': {
        const parent = parentKnown(input.ParentId)
        const p = page(
          members.filter(m => parentOf(m.Id) === parent),
          input.NextToken
        )
        return ok(action, { Accounts: p.items, NextToken: p.next })
      }
      case 'ListChildren': {
        const parent = parentKnown(input.ParentId)
        const type = input.ChildType
        const children =
          type === 'ACCOUNT'
            ? members
                .filter(m => parentOf(m.Id) === parent)
                .map(m => ({ Id: m.Id, Type: 'ACCOUNT' }))
            : (org.ous ?? [])
                .filter(o => (o.parentId ?? rootId) === parent)
                .map(o => ({ Id: o.id, Type: 'ORGANIZATIONAL_UNIT' }))
        const p = page(children, input.NextToken)
        return ok(action, { Children: p.items, NextToken: p.next })
      }
      default:
        throw new QueryError(
          'UnknownOperationException',
          `The emulator serves no Organizations ${action}`
        )
    }
  } catch (error) {
    const err =
      error instanceof QueryError
        ? error
        : new QueryError('ServiceException', `Emulator failure: ${String(error)}`, 500)
    return {
      status: err.status === 403 || err.status === 404 ? 400 : err.status,
      action,
      errorCode: err.code,
      body: JSON.stringify({ __type: err.code, Message: err.message })
    }
  }
}

function ok(action: string, payload: Record<string, unknown>): OrganizationsReply {
  return { status: 200, action, body: JSON.stringify(payload) }
}
